import{createRequire as __cr}from'module';const require=__cr(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-TWQCEMOH.js";import"./chunk-N4TKAYXF.js";import"./chunk-3OCTYEWL.js";import"./chunk-KUVHNJ2O.js";import"./chunk-FBTUSLYG.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
