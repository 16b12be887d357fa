// The command line as someone without a clone gets it: `npx github:<owner>/private-fargate-api#v1`
// makes npm pack the repository (no build step runs: there is no prepare script) and run the bin.
// Here the same tarball is unpacked where no node_modules can help it, and its bin is run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODES, ROOT } from './run-action.js';

interface PackageJson {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  engines: { node: string };
  files: string[];
}

describe('the npm package', () => {
  let dir: string;
  let unpacked: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pfa-package-'));
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    execFileSync('tar', ['xzf', join(dir, packed.filename), '-C', dir]);
    unpacked = join(dir, 'package');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const manifest = async () => JSON.parse(await readFile(join(unpacked, 'package.json'), 'utf8')) as PackageJson;

  it('builds nothing on install: a git dependency would run prepare with every devDependency', async () => {
    const { scripts } = await manifest();
    for (const hook of ['prepare', 'prepack', 'preinstall', 'install', 'postinstall']) {
      expect(scripts[hook]).toBeUndefined();
    }
  });

  it('runs its bin from the tarball alone, with no node_modules anywhere', async () => {
    const { bin } = await manifest();
    const cli = join(unpacked, bin['private-fargate-api']);
    const version = execFileSync(NODES.node24, [cli, '--version'], { cwd: dir, encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    const rendered = execFileSync(NODES.node24, [cli, 'render', join(ROOT, 'sample-api/deploy.yml'), '--stdout'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(rendered).toContain('AWS::ApiGateway::RestApi');
  });

  it('says which Node it supports', async () => {
    expect((await manifest()).engines.node).toBe('>=22');
  });
});
