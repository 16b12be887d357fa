// Bundles each entry point into one minified ESM file under dist/. GitHub runs dist/ straight
// from the repository, so it is committed; CI fails when it differs from a fresh bundle.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const entries = {
  index: 'action/src/main.ts', // the action's main step
  post: 'action/src/post.ts', // the action's post step (registry logout)
  cli: 'action/src/cli.ts', // the command line
};

const shim = (name) => fileURLToPath(new URL(`./shims/${name}.js`, import.meta.url));

/** Swaps two heavy, rarely needed modules for small stand-ins (see scripts/shims/). */
const slimDependencies = {
  name: 'slim-dependencies',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: shim('undici') }));
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: shim('zod-locales') } : undefined,
    );
  },
};

const common = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
};
// The ES module builds of the AWS SDK tree-shake better, and a dynamic import() of them keeps its
// named exports (a CommonJS module imported on demand would arrive as a bare default export).
const preferModules = { mainFields: ['module', 'main'] };

await rm('dist', { recursive: true, force: true });

const result = await build({
  ...common,
  entryPoints: entries,
  metafile: process.argv.includes('--analyze'),
  outdir: 'dist',
  format: 'esm',
  ...preferModules,
  // Code loaded on demand (the GitHub client for pull request comments, S3 for large
  // templates) goes into chunks that a run without them never reads.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [slimDependencies],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
});

if (result.metafile) {
  // `npm run bundle -- --analyze`: the heaviest packages in each output.
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const byPackage = {};
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'project';
      byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
    }
    const top = Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    console.log(
      `${file} ${(output.bytes / 1024).toFixed(0)} KiB: ${top.map(([n, b]) => `${n} ${(b / 1024).toFixed(0)}K`).join(', ')}`,
    );
  }
}

// The real undici, loaded by the shim only when GitHub is reached through a proxy.
await build({
  ...common,
  entryPoints: { undici: 'undici' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
});
