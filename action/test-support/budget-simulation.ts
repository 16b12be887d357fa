// Concurrent deploys against CloudFormation's shared request budget, in virtual time: the real
// Waiter and pacing, the fake's token buckets, and scripted AWS timings, with nothing else on
// the machine to disturb the figures. For the pacing tests and the scale bench.
import { percentile } from '../bench/stats.js';
import { MemoryReporter } from '../src/reporter.js';
import { DEFAULT_POLL, Waiter } from '../src/deploy/wait.js';
import { awsError } from './deploy-world.js';
import { CLOUDFORMATION_BUDGET, RequestBudget } from './fake-aws/request-budget.js';
import { virtualTime } from './virtual-time.js';

/** A repeatable stand-in for Math.random. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export interface SimulatedRun {
  failed: number;
  callsPerDeploy: number;
  throttled: number;
  /** Notice latency (change set ready and stack finished, together), ms. */
  p50: number;
  p95: number;
  /** Each deploy's duration, ms. */
  durationP50: number;
  durationP95: number;
}

/** The SDK's own retries of a throttled attempt (maxAttempts 3): 0–1 s, then 0–2 s later. */
const SDK_THROTTLE_RETRIES = [1000, 2000];

/**
 * N deploys started within 3 s of each other, each: DescribeStacks, CreateChangeSet, polls until
 * its change set is ready (3 s), ExecuteChangeSet, polls DescribeStackEvents until its stack
 * finishes (15 s), DescribeStacks for the outputs; every call a 30 ms round trip that the SDK
 * retries twice when throttled, all sharing one budget.
 */
export async function simulateDeploys(deploys: number, seed = 1): Promise<SimulatedRun> {
  const clock = virtualTime();
  const budget = new RequestBudget(CLOUDFORMATION_BUDGET, () => clock.now());
  const random = seeded(seed);
  let calls = 0;
  let throttled = 0;
  const latencies: number[] = [];
  const durations: number[] = [];

  /** One SDK call: its attempts, each counted and admitted (or throttled) by the budget. */
  const aws = async (operation: string, sdk: { throttled: number }) => {
    for (const retry of [...SDK_THROTTLE_RETRIES, undefined]) {
      await clock.sleep(30);
      calls += 1;
      if (budget.admit(operation)) return clock.now();
      throttled += 1;
      sdk.throttled += 1;
      if (retry === undefined) throw awsError('Throttling', 'Rate exceeded');
      await clock.sleep(random() * retry);
    }
    throw new Error('unreachable');
  };
  async function deploy() {
    await clock.sleep(random() * 3000); // runners start their jobs at slightly different times
    const started = clock.now();
    const sdk = { throttled: 0 };
    const waiter = new Waiter(clock, DEFAULT_POLL, 30, new MemoryReporter(), undefined, { random, sdkThrottles: sdk });
    const call = (operation: string) => () => aws(operation, sdk);
    const pollUntil = (operation: string, readyAt: number) =>
      waiter.until(operation, async () => {
        const answeredAt = await aws(operation, sdk);
        return answeredAt >= readyAt ? answeredAt - readyAt : undefined;
      });
    await waiter.call('stack', call('DescribeStacks'));
    await waiter.write('change set', call('CreateChangeSet'));
    latencies.push(await pollUntil('DescribeChangeSet', clock.now() + 3000));
    await waiter.write('execute', call('ExecuteChangeSet'));
    latencies.push(await pollUntil('DescribeStackEvents', clock.now() + 15_000));
    await waiter.call('outputs', call('DescribeStacks'));
    durations.push(clock.now() - started);
  }

  const results = await clock.run(Promise.allSettled(Array.from({ length: deploys }, deploy)));
  return {
    failed: results.filter((r) => r.status === 'rejected').length,
    callsPerDeploy: calls / deploys,
    throttled,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    durationP50: percentile(durations, 50),
    durationP95: percentile(durations, 95),
  };
}
