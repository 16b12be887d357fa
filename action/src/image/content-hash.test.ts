import { describe, expect, test, afterAll } from '@jest/globals';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contentHash, contentTag, contextEntries, type BuildInputs } from './content-hash.js';
import { removeScratchDirs, scratchDir } from '../../test-support/scratch.js';

afterAll(removeScratchDirs);

async function project(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir('content-hash-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const app = {
  Dockerfile: 'FROM scratch\nCOPY . /app\n',
  '.dockerignore': 'node_modules\n**/*.log\n!keep.log\n',
  'src/index.js': 'console.log("hi")\n',
  'keep.log': 'kept\n',
  'node_modules/dep/index.js': 'module.exports = 1\n',
  'logs/debug.log': 'noise\n',
};

const inputs = (context: string, extra: Partial<BuildInputs> = {}): BuildInputs => ({
  context,
  dockerfile: path.join(context, 'Dockerfile'),
  buildArgs: {},
  platform: 'linux/amd64',
  ...extra,
});

describe('contentHash', () => {
  test('is the same for the same sources in another directory, whatever order files were written in', async () => {
    const a = await project(app);
    const b = await project(Object.fromEntries(Object.entries(app).reverse()));
    expect(await contentHash(inputs(a))).toBe(await contentHash(inputs(b)));
    expect(contentTag(await contentHash(inputs(a)))).toMatch(/^src-[0-9a-f]{16}$/);
  });

  test('changes when one byte of a file in the context changes', async () => {
    const a = await project(app);
    const before = await contentHash(inputs(a));
    await writeFile(path.join(a, 'src/index.js'), 'console.log("hI")\n');
    expect(await contentHash(inputs(a))).not.toBe(before);
  });

  test('ignores files .dockerignore excludes, but not the ones it brings back with !', async () => {
    const a = await project(app);
    const before = await contentHash(inputs(a));
    await writeFile(path.join(a, 'node_modules/dep/index.js'), 'changed');
    await writeFile(path.join(a, 'logs/debug.log'), 'changed');
    await writeFile(path.join(a, 'node_modules/dep/new.js'), 'new');
    expect(await contentHash(inputs(a))).toBe(before);
    await writeFile(path.join(a, 'keep.log'), 'changed');
    expect(await contentHash(inputs(a))).not.toBe(before);
  });

  test('lists what the builder receives: directories, files, the Dockerfile, not the ignored', async () => {
    const a = await project(app);
    const paths = (await contextEntries(inputs(a))).map((entry) => entry.path);
    expect(paths).toEqual(['.dockerignore', 'Dockerfile', 'keep.log', 'logs', 'src', 'src/index.js']);
  });

  test('changes with the file mode, the Dockerfile, build args, target and platform', async () => {
    const a = await project(app);
    const base = await contentHash(inputs(a));
    const variants = [
      inputs(a, { buildArgs: { VERSION: '1' } }),
      inputs(a, { buildArgs: { VERSION: '2' } }),
      inputs(a, { target: 'runtime' }),
      inputs(a, { platform: 'linux/arm64' }),
    ];
    const hashes = await Promise.all(variants.map(contentHash));
    expect(new Set([base, ...hashes]).size).toBe(5);

    await chmod(path.join(a, 'src/index.js'), 0o755);
    const executable = await contentHash(inputs(a));
    expect(executable).not.toBe(base);
    await writeFile(path.join(a, 'Dockerfile'), 'FROM scratch\nCOPY . /srv\n');
    expect(await contentHash(inputs(a))).not.toBe(executable);
  });

  test('does not depend on the order build args are given in', async () => {
    const a = await project(app);
    expect(await contentHash(inputs(a, { buildArgs: { A: '1', B: '2' } }))).toBe(
      await contentHash(inputs(a, { buildArgs: { B: '2', A: '1' } })),
    );
  });

  test('prefers the Dockerfile-specific <Dockerfile>.dockerignore', async () => {
    const a = await project({ ...app, 'api.Dockerfile': app.Dockerfile, 'api.Dockerfile.dockerignore': 'src\n' });
    const paths = (await contextEntries({ context: a, dockerfile: path.join(a, 'api.Dockerfile') })).map((e) => e.path);
    expect(paths).toContain('node_modules/dep/index.js');
    expect(paths).not.toContain('src/index.js');
  });
});
