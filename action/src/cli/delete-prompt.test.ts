// `delete` in a real terminal: the CLI runs under a pseudo-terminal (util-linux `script`), so its
// stdin is a TTY and it asks; the test types the answer as a person would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { awsEnvironment, sampleTemplate, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import { missingTools } from '../../test-support/registry.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const command = `${join(repo, 'node_modules/.bin/tsx')} ${join(repo, 'action/src/cli.ts')} delete sample-api/deploy.yml --environment pr-7`;
const noScript = missingTools(['script']).length > 0;
/** Still running when the suite ends only if a test failed: killed then, never left behind. */
const running = new Set<ReturnType<typeof spawn>>();

/** Runs `delete` in a pseudo-terminal and types `answer` once it asks. */
function deleteInTerminal(fake: FakeAws, answer: string): Promise<{ code: number; output: string }> {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: repo,
    env: { PATH: process.env.PATH, TERM: 'dumb', NODE_NO_WARNINGS: '1', ...awsEnvironment(fake.url) },
  });
  running.add(child);
  let output = '';
  let asked = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!asked && output.includes('Type the stack name to confirm: ')) {
      asked = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve({ code: code ?? -1, output });
    }),
  );
}

(noScript ? describe.skip : describe)(
  `delete in a terminal${noScript ? ' (skipped: script not installed)' : ''}`,
  () => {
    let fake: FakeAws;
    const live = () => fake.state().stacks.some((s) => s.name === 'pubquiz-pr-7' && s.live);
    const template = JSON.parse(sampleTemplate());
    template.Description = 'pubquiz: a private Fargate service (private-fargate-api)';

    beforeAll(async () => {
      fake = await startFakeAws({ stackName: 'pubquiz-pr-7', changeSetReadyMs: 10, resourceStepMs: 2 });
    });
    afterAll(async () => {
      for (const child of running) child.kill('SIGKILL');
      await fake.close();
    });
    const seed = () => fake.scenario({ stack: { status: 'CREATE_COMPLETE', templateBody: JSON.stringify(template) } });

    it('keeps the stack when the answer is not its name', async () => {
      seed();
      const { code, output } = await deleteInTerminal(fake, 'yes');
      expect(output).toContain('Delete stack pubquiz-pr-7 (CREATE_COMPLETE) in us-east-1?');
      expect(output).toContain('Not deleted: "yes" is not pubquiz-pr-7.');
      expect(code).toBe(1);
      expect(live()).toBe(true);
    });

    it('deletes the stack once its name is typed', async () => {
      seed();
      const { code, output } = await deleteInTerminal(fake, 'pubquiz-pr-7');
      expect(output).toContain('Deleted stack pubquiz-pr-7.');
      expect(code).toBe(0);
      expect(live()).toBe(false);
    });
  },
);
