// The summary of a default `npm test` on a machine without the image tools says why tests were
// skipped: a real jest run with a PATH that has node and sh but no docker-registry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('the skip-reasons reporter', () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'bare-path-'));
    await symlink(process.execPath, join(bin, 'node'));
    const sh = (await promisify(execFile)('sh', ['-c', 'command -v sh'])).stdout.trim();
    await symlink(sh, join(bin, 'sh'));
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  it('ends the run with how many tests were skipped and why', async () => {
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [join(repo, 'node_modules/jest/bin/jest.js'), 'action/test-support/registry.test.ts', '--maxWorkers=1'],
      { cwd: repo, env: { PATH: bin, HOME: process.env.HOME, NODE_OPTIONS: '--experimental-vm-modules' } },
    );
    expect(stderr).toMatch(
      /\nskipped 1 test: docker-registry, htpasswd not installed \(run \.ci\/setup-image-tools\.sh\)\nTest Suites: 1 passed/,
    );
  });
});
