// Modelled time from "ECS starts deploying a new image" to "all traffic on it and the old tasks
// gone", for each strategy with the sample's settings, next to the same strategy with AWS's
// defaults. A model from the rendered template's own values and AWS's documented delays (see
// action/src/render/rollout-time.ts for each figure and where AWS documents it).
// Run: npx tsx action/bench/rollout.bench.ts  (goal: the default rolling strategy ≤ 3 minutes)
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { strategies } from '../src/config/rollout.js';
import { renderStack } from '../src/render/index.js';
import { minutes, rolloutTime } from '../src/render/rollout-time.js';

const GOAL_SECONDS = 180;
const sample = await loadConfig(fileURLToPath(new URL('../../sample-api/deploy.yml', import.meta.url)));

console.log('rollout model: new image → all traffic on it and old tasks gone (m:ss), sample settings vs AWS defaults');
for (const strategy of strategies) {
  const config = { ...sample, service: { ...sample.service, deployment: { ...sample.service.deployment, strategy } } };
  const template = renderStack(config);
  const ours = rolloutTime(template);
  const aws = rolloutTime(template, { defaults: true });
  const goal =
    strategy === 'rolling'
      ? `  goal ≤ ${minutes(GOAL_SECONDS)}: ${ours.seconds <= GOAL_SECONDS ? 'met' : 'MISSED'}`
      : '';
  console.log(
    `${strategy.padEnd(10)} ${minutes(ours.seconds).padStart(6)}  (AWS defaults ${minutes(aws.seconds)})${goal}`,
  );
  console.log(`           ${ours.parts.map(([what, s]) => `${what} ${s} s`).join(' + ')}`);
}
