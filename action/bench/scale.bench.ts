// Many services deployed at once into one account and Region: N bundled actions (real processes,
// as a runner starts them) create N stacks against one loopback AWS whose CloudFormation request
// budget they share (10 reads/s, burst 20; 5 writes/s, burst 10). Reports failures, AWS calls per
// deploy, how many were throttled, and how soon each deploy noticed its change set ready and its
// stack finished. Goal at 50: no failure, p95 notice ≤ 5 s. Printed first: the same pacing
// modelled in virtual time (test-support/budget-simulation.ts), which this machine's load cannot skew.
// Each count is measured `--repeat` times (default 3) and the notices pooled: one run of 50 gives
// 50 notices of each kind, so its p95 is decided by its worst three. `--update` measures updates
// instead: the stacks are created first (unmeasured), then all deployed again with a new image,
// which adds the review's reads of the deployed stack and its drift check (drift: warn).
//   npm run bundle && npx tsx action/bench/scale.bench.ts [counts…] [--repeat N] [--update]   (default 1 10 50)
import { loadavg } from 'node:os';
import { awsEnvironment, startFakeAws, noticeLatencies, type FakeAws } from '../test-support/fake-aws/index.js';
import { CLOUDFORMATION_BUDGET } from '../test-support/fake-aws/request-budget.js';
import { simulateDeploys, type SimulatedRun } from '../test-support/budget-simulation.js';
import { NODES, runAction } from '../e2e/run-action.js';
import { percentile } from './stats.js';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'c'.repeat(64)}`;
const NEW_IMAGE = IMAGE.replace(/c{64}$/, 'd'.repeat(64));

/** Scripted AWS time, compressed: change sets take 3 s, each resource 200 ms (a create ≈ 10 s). */
const TIMING = { changeSetReadyMs: 3000, resourceStepMs: 200 };
const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args.splice(repeatAt, 2)[1]) : 3;
const updateAt = args.indexOf('--update');
const updates = updateAt >= 0 && args.splice(updateAt, 1).length > 0;
const counts = args.map(Number);

/** `count` bundled actions at once, each deploying `image` to its own stack of the fake. */
function deployAll(fake: FakeAws, count: number, image: string) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      runAction({
        node: NODES.node24,
        inputs: {
          config: 'sample-api/deploy.yml',
          image,
          'stack-name': `service-${String(i + 1).padStart(2, '0')}`,
          'smoke-path': '',
          'timeout-minutes': '10',
        },
        env: awsEnvironment(fake.url),
        timeoutMs: 600_000,
      }),
    ),
  );
}

async function deployAtOnce(count: number) {
  const fake = await startFakeAws({ ...TIMING, requestBudget: CLOUDFORMATION_BUDGET });
  try {
    if (updates) {
      const created = await deployAll(fake, count, IMAGE);
      if (created.some((run) => run.code !== 0)) throw new Error('The stacks to update could not be created.');
    }
    const since = Date.now();
    const runs = await deployAll(fake, count, updates ? NEW_IMAGE : IMAGE);
    const state = fake.state();
    const cloudFormation = state.calls.filter((c) => c.service === 'cloudformation' && c.at >= since);
    const failed = runs.filter((run) => run.code !== 0);
    for (const run of failed.slice(0, 3))
      console.error(run.log.split('\n').find((line) => line.startsWith('::error::')) ?? run.log.slice(-500));
    return {
      count,
      failed: failed.length,
      seconds: Math.max(...runs.map((run) => run.durationMs)) / 1000,
      durations: runs.map((run) => run.durationMs / 1000),
      calls: cloudFormation.length,
      throttled: cloudFormation.filter((c) => c.error === 'Throttling').length,
      latency: noticeLatencies(state, since),
      byOperation: Object.entries(fake.callCounts('cloudformation', since))
        .map(([operation, calls]) => `${operation} ${(calls / count).toFixed(1)}`)
        .join(', '),
    };
  } finally {
    await fake.close();
  }
}

const ms = (values: number[], p: number) => (values.length ? `${percentile(values, p).toFixed(0)}` : '-');

console.log(
  `Concurrent deploys (bundled action, Node 24) sharing CloudFormation reads ${CLOUDFORMATION_BUDGET.reads.perSecond}/s ` +
    `(burst ${CLOUDFORMATION_BUDGET.reads.burst}), writes ${CLOUDFORMATION_BUDGET.writes.perSecond}/s ` +
    `(burst ${CLOUDFORMATION_BUDGET.writes.burst}); change set ${TIMING.changeSetReadyMs} ms, resource ${TIMING.resourceStepMs} ms\n`,
);
// The same pacing in virtual time first: what the algorithm does, free of this machine's load.
const SEEDS = [1, 2, 3, 4, 5];
console.log('Modelled (virtual time, 30 ms round trips, change set 3 s, stack 15 s; 5 seeds, worst shown):');
console.log('deploys | failed | deploy p50/p95 s | CFN calls/deploy | throttled | notice p50/p95 ms');
for (const count of counts.length ? counts : [1, 10, 50]) {
  const runs: SimulatedRun[] = [];
  for (const seed of SEEDS) runs.push(await simulateDeploys(count, seed));
  const worst = (pick: (r: SimulatedRun) => number) => Math.max(...runs.map(pick));
  console.log(
    [
      count,
      worst((r) => r.failed),
      `${(worst((r) => r.durationP50) / 1000).toFixed(1)} / ${(worst((r) => r.durationP95) / 1000).toFixed(1)}`,
      worst((r) => r.callsPerDeploy).toFixed(1),
      worst((r) => r.throttled),
      `${worst((r) => r.p50).toFixed(0)} / ${worst((r) => r.p95).toFixed(0)}`,
    ].join(' | '),
  );
}
console.log(
  `\nMeasured (bundled actions as processes, loopback AWS; ${updates ? 'updates of existing stacks' : 'new stacks'}; each count ${repeat}×, then pooled):`,
);
console.log(
  'deploys | failed | wall s | deploy p50/p95 s | CFN calls/deploy | throttled (per deploy) | change set ready→noticed p50/p95 ms | stack finished→noticed p50/p95 ms',
);
const details: string[] = [];
const pooled: string[] = [];
for (const count of counts.length ? counts : [1, 10, 50]) {
  const all = { failed: 0, ready: [] as number[], done: [] as number[] };
  for (let run = 1; run <= repeat; run++) {
    const load = loadavg()[0];
    const r = await deployAtOnce(count);
    details.push(`${r.count}#${run}: machine load average ${load.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`);
    const { changeSetReady: ready, stackTerminal: done } = r.latency;
    details.push(`${r.count}#${run}: ${r.byOperation}`);
    all.failed += r.failed;
    all.ready.push(...ready);
    all.done.push(...done);
    console.log(
      [
        r.count,
        r.failed,
        r.seconds.toFixed(1),
        `${percentile(r.durations, 50).toFixed(1)} / ${percentile(r.durations, 95).toFixed(1)}`,
        (r.calls / r.count).toFixed(1),
        `${r.throttled} (${(r.throttled / r.count).toFixed(1)})`,
        `${ms(ready, 50)} / ${ms(ready, 95)} (n=${ready.length})`,
        `${ms(done, 50)} / ${ms(done, 95)} (n=${done.length})`,
      ].join(' | '),
    );
  }
  const both = [...all.ready, ...all.done];
  pooled.push(
    [
      count,
      all.failed,
      `${ms(all.ready, 50)} / ${ms(all.ready, 95)} (n=${all.ready.length})`,
      `${ms(all.done, 50)} / ${ms(all.done, 95)} (n=${all.done.length})`,
      `${ms(both, 50)} / ${ms(both, 95)}`,
    ].join(' | '),
  );
}
console.log(
  `\nPooled over the ${repeat} runs of each count:\ndeploys | failed | change set ready→noticed p50/p95 ms | stack finished→noticed p50/p95 ms | both p50/p95 ms\n${pooled.join('\n')}`,
);
console.log(`\nCloudFormation calls per deploy, throttled ones included:\n${details.join('\n')}`);
