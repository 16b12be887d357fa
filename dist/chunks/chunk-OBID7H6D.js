import{createRequire as __cr}from'module';const require=__cr(import.meta.url);
var r="registry",t="builder";export{r as a,t as b};
