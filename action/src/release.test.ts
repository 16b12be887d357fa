// The release scripts run in the release workflow on a fresh tag; here they run the same way,
// against scratch repositories, so a broken check or empty notes show up before a release does.
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));
const scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Run {
  code: number;
  output: string;
}
function sh(cwd: string, command: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', command], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr });
    });
  });
}

/** A repository whose `npm run bundle` copies src/app.js to dist/app.js, like esbuild would. */
async function projectWithBundle(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'release-test-'));
  scratch.push(dir);
  await mkdir(join(dir, 'src'));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'p', private: true, scripts: { bundle: 'mkdir -p dist && cp src/*.js dist/' } }),
  );
  await writeFile(join(dir, 'src/app.js'), 'export const answer = 42;\n');
  await sh(dir, 'npm run --silent bundle');
  await commit(dir, 'First version');
  return dir;
}

async function commit(dir: string, message: string, tag?: string): Promise<void> {
  const identity = '-c user.name=Test -c user.email=test@example.com';
  const result = await sh(
    dir,
    `git init -q -b main 2>/dev/null; git add -A && git ${identity} commit -q -m "${message}"${tag ? ` && git tag ${tag}` : ''}`,
  );
  expect(result.output).toBe('');
}

describe('scripts/check-dist.sh', () => {
  it('passes when dist/ is what the sources bundle to', async () => {
    const dir = await projectWithBundle();
    const run = await sh(dir, `${scripts}check-dist.sh`);
    expect(run).toEqual({ code: 0, output: expect.stringContaining('dist/ is what the sources bundle to.') });
  });

  it('fails, naming the fix, when a source changed and dist/ was not rebuilt', async () => {
    const dir = await projectWithBundle();
    await writeFile(join(dir, 'src/app.js'), 'export const answer = 43;\n');
    await commit(dir, 'Change the source only');
    const run = await sh(dir, `${scripts}check-dist.sh`);
    expect(run.code).toBe(1);
    expect(run.output).toContain("dist/ is stale: run 'npm run bundle' and commit dist/.");
  });

  it('fails when the bundle gains a file that is not committed, as an annotation on a runner', async () => {
    const dir = await projectWithBundle();
    await writeFile(join(dir, 'src/chunk.js'), 'export {};\n');
    await sh(dir, 'git add src/chunk.js');
    await commit(dir, 'A new module');
    const run = await sh(dir, `${scripts}check-dist.sh`, { GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('dist/chunk.js');
    expect(run.output).toContain("::error::dist/ is stale: run 'npm run bundle' and commit dist/.");
  });
});

describe('scripts/release-notes.sh', () => {
  it("gives the tag's changelog section, then the changes since the previous tag without bundle rebuilds", async () => {
    const dir = await projectWithBundle();
    await sh(dir, 'git tag v1.0.0');
    await writeFile(
      join(dir, 'CHANGELOG.md'),
      '# Changelog\n\n## [1.1.0] - 2026-11-29\n\n- Alarms guard rollouts.\n\n## [1.0.0] - 2026-11-01\n\n- First release.\n',
    );
    await commit(dir, 'Alarms guard rollouts');
    await writeFile(join(dir, 'dist/app.js'), '// rebuilt\n');
    await commit(dir, 'dist: rebuilt', 'v1.1.0');

    const run = await sh(dir, `${scripts}release-notes.sh v1.1.0`);
    expect(run.code).toBe(0);
    const lines = run.output.split('\n');
    expect(lines.slice(0, 4)).toEqual(['- Alarms guard rollouts.', '', '### Changes since v1.0.0', '']);
    expect(lines[4]).toMatch(/^- Alarms guard rollouts \([0-9a-f]{7,}\)$/);
    expect(run.output).not.toContain('First release');
    expect(run.output).not.toContain('dist: rebuilt');
  });

  it('lists every change for the first release', async () => {
    const dir = await projectWithBundle();
    await sh(dir, 'git tag v1.0.0');
    const run = await sh(dir, `${scripts}release-notes.sh v1.0.0`);
    expect(run.output).toMatch(/^### Changes\n\n- First version \([0-9a-f]+\)\n$/);
  });
});
