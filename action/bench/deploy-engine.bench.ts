// The deploy engine against an in-memory CloudFormation on a virtual clock: how late it notices
// a change set becoming ready and a stack reaching its terminal state (the poll schedule alone;
// add one round trip for a real endpoint), how many AWS calls a deploy makes, and the engine's
// own CPU time per deploy. The end-to-end bench against the loopback server measures the rest.
// Run: npx tsx action/bench/deploy-engine.bench.ts  (goal: notice p95 ≤ 2 s including a round trip)
import { performance } from 'node:perf_hooks';
import { MemoryReporter } from '../src/reporter.js';
import { deployStack } from '../src/deploy/engine.js';
import { deployRequest, testWorld, type Step } from '../test-support/deploy-world.js';
import { percentile } from './stats.js';

const RUNS = 40;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// A deterministic spread of timings (no Math.random: runs are comparable).
const spread = (i: number, min: number, max: number) => min + (((i * 7919) % 1000) / 1000) * (max - min);

const changeSetLatency: number[] = [];
const terminalLatency: number[] = [];
const calls: number[] = [];
const cpu: number[] = [];

for (let i = 0; i < RUNS; i++) {
  const { clock, aws, env } = testWorld();
  aws.givenStack('quiz', 'UPDATE_COMPLETE');
  aws.changeSet = {
    changes: [{ Action: 'Modify', LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service' }],
    readyAfter: spread(i, 300, 8000),
  };
  const duration = spread(i + 13, 5_000, 300_000);
  const resources = ['TaskDefinition', 'Service', 'Deployment', 'Stage', 'Alarm'];
  aws.operation = {
    steps: resources.flatMap((id, n): Step[] => [
      { after: (n * duration) / 10, logicalId: id, type: 'AWS::X::Y', status: 'UPDATE_IN_PROGRESS' },
      { after: ((n + 1) * duration) / 6, logicalId: id, type: 'AWS::X::Y', status: 'UPDATE_COMPLETE' },
    ]),
    final: 'UPDATE_COMPLETE',
  };
  let changeSetNoticed = 0;
  let terminalNoticed = 0;
  const reporter = new (class extends MemoryReporter {
    override info(message: string): void {
      if (message.startsWith('Change set computed')) changeSetNoticed = clock.now();
      if (message.startsWith('Stack quiz is UPDATE_COMPLETE')) terminalNoticed = clock.now();
      super.info(message);
    }
  })();
  const started = performance.now();
  await deployStack(env.clients, deployRequest(), reporter);
  cpu.push(performance.now() - started);
  changeSetLatency.push(changeSetNoticed - aws.changeSetReadyAt);
  terminalLatency.push(terminalNoticed - aws.operationEndsAt);
  calls.push(env.cfn.calls().length + env.ecs.calls().length + env.s3.calls().length);
}

const summary = (name: string, values: number[], unit: string, digits = 0) =>
  `${name.padEnd(34)} p50 ${percentile(values, 50).toFixed(digits)} ${unit}, p95 ${percentile(values, 95).toFixed(digits)} ${unit}, max ${Math.max(...values).toFixed(digits)} ${unit}`;

console.log(
  `deploy engine benchmark: ${RUNS} update deploys (change set ready after 0.3–8 s, stack done after 5–300 s), Node ${process.version}`,
);
console.log(summary('change set ready → noticed', changeSetLatency, 'ms'));
console.log(summary('stack terminal → noticed', terminalLatency, 'ms'));
console.log(summary('AWS calls per deploy', calls, 'calls'));
console.log(summary('engine CPU time per deploy', cpu, 'ms', 1));
