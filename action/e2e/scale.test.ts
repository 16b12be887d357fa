// Several services deployed at once into one account and Region: bundled actions, run as
// runners run them, share a tight CloudFormation request budget in the loopback AWS. AWS
// throttles them, and every one still deploys its stack.
import { afterEach, expect, it } from '@jest/globals';
import { awsEnvironment, startFakeAws, type FakeAws } from '../test-support/fake-aws/index.js';
import { NODES, runAction } from './run-action.js';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'d'.repeat(64)}`;
const DEPLOYS = 8;

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

it(`${DEPLOYS} deploys at once on a tight budget are throttled and all succeed`, async () => {
  fake = await startFakeAws({
    changeSetReadyMs: 300,
    resourceStepMs: 15,
    requestBudget: { reads: { perSecond: 4, burst: 4 }, writes: { perSecond: 2, burst: 2 } },
  });
  const env = awsEnvironment(fake.url);
  const runs = await Promise.all(
    Array.from({ length: DEPLOYS }, (_, i) =>
      runAction({
        node: NODES.node24,
        inputs: {
          config: 'sample-api/deploy.yml',
          image: IMAGE,
          'stack-name': `service-${i + 1}`,
          'smoke-path': '',
          'timeout-minutes': '5',
        },
        env,
        timeoutMs: 240_000,
      }),
    ),
  );

  for (const run of runs) expect({ code: run.code, error: run.log.match(/::error::.*/)?.[0] }).toEqual({ code: 0 });
  const state = fake.state();
  const stacks = state.stacks.filter((s) => s.live).map((s) => [s.name, s.status]);
  expect(stacks.sort()).toEqual(
    Array.from({ length: DEPLOYS }, (_, i) => [`service-${i + 1}`, 'CREATE_COMPLETE']).sort(),
  );
  // The budget did bite: AWS refused calls, and the runs said they were backing off.
  expect(state.calls.filter((c) => c.error === 'Throttling').length).toBeGreaterThan(0);
  expect(runs.some((run) => run.log.includes('AWS is throttling requests'))).toBe(true);
}, 300_000);
