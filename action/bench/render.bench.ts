// Warm render time of the application stack: the sample config and a generated 200-route API.
// Run: npx tsx action/bench/render.bench.ts  (goal: sample under 50 ms)
import { formatTemplate, renderStack } from '../src/render/index.js';
import { configOf, manyRoutesInput, sampleInput } from '../test-support/configs.js';
import type { Config } from '../src/config/schema.js';
import { timeWarm } from './stats.js';

const WARMUP = 20;
const RUNS = 200;

const measure = (run: () => unknown) => timeWarm(run, { warmup: WARMUP, runs: RUNS });

const cases: [string, Config][] = [
  ['sample config', configOf(sampleInput)],
  ['200-route API', configOf(manyRoutesInput(200))],
];
const ms = (n: number) => `${n.toFixed(2)} ms`;
console.log(`render benchmark: ${RUNS} warm runs after ${WARMUP} warm-up runs, Node ${process.version}`);
for (const [name, config] of cases) {
  const template = renderStack(config);
  const resources = Object.keys(template.Resources).length;
  const object = measure(() => renderStack(config));
  const yaml = measure(() => formatTemplate(renderStack(config), 'yaml'));
  const json = measure(() => formatTemplate(renderStack(config), 'json'));
  console.log(
    `${name.padEnd(14)} ${String(resources).padStart(3)} resources | template object: median ${ms(object.median)}, p95 ${ms(object.p95)}` +
      ` | + YAML: median ${ms(yaml.median)}, p95 ${ms(yaml.p95)} | + JSON: median ${ms(json.median)}, p95 ${ms(json.p95)}`,
  );
}
