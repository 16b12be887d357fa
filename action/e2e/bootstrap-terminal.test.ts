// `bootstrap` in a real terminal (a pseudo-terminal from util-linux `script`): it shows the change
// set, asks, and executes only on yes. The bundled command line against the loopback AWS.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, startFakeAws, type FakeAws } from '../test-support/fake-aws/index.js';
import { NODES, ROOT } from './run-action.js';

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('bootstrap in a terminal', () => {
  let fake: FakeAws;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeAws({ changeSetReadyMs: 50, resourceStepMs: 5 });
    dir = await mkdtemp(join(tmpdir(), 'pfa-terminal-'));
    await writeFile(
      join(dir, 'deploy.yml'),
      'name: notes\nservice: { port: 8080 }\nbootstrap: { repository: acme/notes }\n',
    );
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
  });
  afterAll(async () => {
    await Promise.all([fake.close(), rm(dir, { recursive: true, force: true })]);
  });

  /** Runs the command on a pseudo-terminal, typing `answer` at the prompt. */
  const inTerminal = (answer: string) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const child = execFile(
        'script',
        ['-qec', `${NODES.node24} ${join(ROOT, 'dist/cli.js')} bootstrap deploy.yml`, '/dev/null'],
        { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...awsEnvironment(fake.url) }, timeout: 30_000 },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, output: stdout }),
      );
      let asked = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        if (!asked && chunk.toString().includes('[y/N]')) {
          asked = true;
          child.stdin!.write(answer === '\u0003' ? answer : `${answer}\n`);
        }
      });
    });
  const stack = () => fake.state().stacks.find((s) => s.name === 'bootstrap-notes' && s.live);

  (hasScript ? it : it.skip)('deploys nothing on no or Ctrl-C, and deploys on yes', async () => {
    const interrupted = await inTerminal('\u0003');
    expect(interrupted.output).toContain('Nothing was deployed to stack bootstrap-notes.');
    expect(interrupted.code).toBe(1);

    const declined = await inTerminal('n');
    expect(declined.output).toMatch(/DeployRole\s+AWS::IAM::Role/);
    expect(declined.output).toContain('Execute these changes to stack bootstrap-notes? [y/N]');
    expect(declined.output).toContain('Nothing was deployed to stack bootstrap-notes.');
    expect(declined.code).toBe(1);
    expect(stack()).toBeUndefined();

    const approved = await inTerminal('y');
    expect(approved.code).toBe(0);
    expect(approved.output).toContain('Set these repository variables in acme/notes');
    expect(stack()?.status).toBe('CREATE_COMPLETE');
  });
});
