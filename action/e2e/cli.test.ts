// The command line's stack commands, bundled, against the loopback AWS: the same engine as the
// action, with the action's input names as options.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { awsEnvironment, startFakeAws, type FakeAws } from '../test-support/fake-aws/index.js';
import { NODES, ROOT } from './run-action.js';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'c'.repeat(64)}`;

describe('the bundled command line', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    fake = await startFakeAws({ stackName: 'pubquiz-staging', changeSetReadyMs: 200, resourceStepMs: 5 });
  });
  afterAll(() => fake.close());

  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(NODES.node24, ['dist/cli.js', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...awsEnvironment(fake.url) },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
    }
  };
  const stack = () => fake.state().stacks.find((s) => s.name === 'pubquiz-staging' && s.live);

  it('deploys, then plans no changes, then deletes the stack', async () => {
    const deployed = await cli(
      'deploy',
      'sample-api/deploy.yml',
      '--environment',
      'staging',
      '--image',
      IMAGE,
      '--smoke-path',
      '/quizzes/q1/scoreboard',
    );
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(
      /Stack pubquiz-staging: CREATE_COMPLETE\nAPI: http:\/\/127\.0\.0\.1:\d+\/restapis\/\w+\/prod/,
    );
    expect(deployed.stdout).toMatch(/Smoke test: GET .*\/prod\/quizzes\/q1\/scoreboard → 200/);
    expect(stack()!.tags).toContainEqual({ Key: 'Environment', Value: 'staging' });

    const planned = await cli('plan', 'sample-api/deploy.yml', '--environment', 'staging', '--image', IMAGE);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('No changes to stack pubquiz-staging');

    // A new image: the terminal shows the review (risks, the image change, cost, drift).
    const next = IMAGE.replace(/c{64}$/, 'd'.repeat(64));
    const review = await cli('plan', 'sample-api/deploy.yml', '--environment', 'staging', '--image', next);
    expect(review.code).toBe(0);
    expect(review.stdout).toMatch(
      /Risks \(\d+\), most severe first:\n {2}replace {2}TaskDefinition \(AWS::ECS::TaskDefinition\) is replaced because ContainerDefinitions changed/,
    );
    expect(review.stdout).toContain(`~ Image: ${IMAGE.slice(0, -52)} → sha256:${'d'.repeat(12)}`);
    expect(review.stdout).toMatch(
      /Cost: \$110\.77\/month → \$110\.77\/month, \+\$0\.00 \(estimate, us-east-1 prices as of \d{4}-\d{2}-\d{2}\)/,
    );
    expect(review.stdout).toContain('Drift: In sync: no hand-made changes since the last deploy.');
    // The engine's table comes once, then the review closes the output, risks first.
    expect(review.stdout.match(/Action +Logical ID +Type/g)).toHaveLength(1);
    expect(review.stdout.indexOf('Risks (')).toBeGreaterThan(review.stdout.indexOf('Logical ID'));

    const deleted = await cli('delete', 'sample-api/deploy.yml', '--environment', 'staging', '--yes');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Deleted stack pubquiz-staging.');
    expect(stack()).toBeUndefined();
  });

  it('leads a failed deploy with its root cause, without a stack trace', async () => {
    fake.scenario({ failAt: { resource: 3 } });
    try {
      const run = await cli('deploy', 'sample-api/deploy.yml', '--environment', 'broken', '--image', IMAGE);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/private-fargate-api deploy failed: Resource \w+ \(AWS::[\w:]+\) failed: /);
      expect(run.stdout).not.toMatch(/\n\s+at /);
    } finally {
      fake.scenario({ failAt: null });
    }
  });

  it('checks its options as the action checks its inputs, before any AWS call', async () => {
    const calls = fake.calls.length;
    const run = await cli('deploy', 'sample-api/deploy.yml', '--timeout-minutes', 'soon', '--tags', 'novalue');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('timeout-minutes: "soon" is not a positive number');
    expect(run.stdout).toContain('tags: "novalue" is not Key=Value');
    expect(fake.calls.length).toBe(calls);
  });
});
