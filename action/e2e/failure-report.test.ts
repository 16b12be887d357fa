// A failed run of the bundled action still reports: the job summary leads with the root cause,
// stack-id and change-set-id name what failed, and each config problem is annotated once.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, startFakeAws, type FakeAws, type StartOptions } from '../test-support/fake-aws/index.js';
import { NODES, runAction } from './run-action.js';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'a'.repeat(64)}`;
const errorLines = (log: string) => log.split('\n').filter((line) => line.startsWith('::error'));

describe('the bundled action, when a run fails', () => {
  let fake: FakeAws | undefined;
  const scratch: string[] = [];
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function run(scenario: StartOptions, inputs: Record<string, string>) {
    fake = await startFakeAws({ stackName: 'pubquiz', changeSetReadyMs: 50, resourceStepMs: 5, ...scenario });
    return runAction({
      node: NODES.node24,
      inputs: { config: 'sample-api/deploy.yml', image: IMAGE, 'timeout-minutes': '2', ...inputs },
      env: awsEnvironment(fake.url),
    });
  }

  it('summarizes a bad config, each problem annotated once and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'config-'));
    scratch.push(dir);
    const config = join(dir, 'deploy.yml');
    await writeFile(config, 'name: PubQuiz\nservice:\n  port: 80800\n');
    const failed = await run({}, { config });
    expect(failed.code).toBe(1);
    expect(errorLines(failed.log)).toEqual([
      expect.stringMatching(/^::error title=Invalid deploy config,.*line=1,.*::name: /),
      expect.stringMatching(/^::error title=Invalid deploy config,.*line=3,.*::service\.port: /),
    ]);
    expect(failed.summary).toMatch(
      /^## ❌ Deploy failed\n\n\*\*Root cause:\*\* the deploy config `.*deploy\.yml` has 2 problems/,
    );
    expect(failed.summary).toMatch(/- `.*deploy\.yml:3:\d+ service\.port: /);
    expect(failed.outputs['stack-id']).toBe('');
    expect(failed.outputs['change-set-id']).toBe('');
  });

  it('summarizes bad inputs', async () => {
    const failed = await run({}, { 'timeout-minutes': 'soon' });
    expect(failed.code).toBe(1);
    expect(failed.summary).toContain('**Root cause:** Invalid inputs:');
    expect(failed.summary).toContain('timeout-minutes: "soon" is not a positive number');
  });

  it('names the rolled-back stack and change set in the outputs, led by the root cause in the summary', async () => {
    const failed = await run({ preset: 'failure' }, {});
    expect(failed.code).toBe(1);
    expect(failed.summary).toMatch(
      /^## ❌ Deploy of stack `pubquiz` failed\n\n\*\*Root cause:\*\* `\w+` \(AWS::[\w:]+\) failed: /,
    );
    expect(failed.summary).toContain('**Stack status:** ROLLBACK_COMPLETE');
    const stack = fake!.state().stacks.find((s) => s.name === 'pubquiz')!;
    expect(failed.outputs['stack-id']).toBe(stack.id);
    expect(failed.outputs['change-set-id']).toMatch(/^arn:aws:cloudformation:.*:changeSet\/pfa-/);
    expect(failed.summary).toContain(failed.outputs['change-set-id']);
    expect(failed.outputs['template-path']).toMatch(/\.json$/);
  });
});
