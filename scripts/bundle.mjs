// Bundles each entry point into one minified ESM file under dist/. GitHub runs dist/ straight
// from the repository, so it is committed; CI fails when it differs from a fresh bundle.
import { build } from 'esbuild';

const entries = {
  index: 'action/src/main.ts', // the action's main step
  post: 'action/src/post.ts', // the action's post step (registry logout)
  cli: 'action/src/cli.ts', // the command line
};

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
});
