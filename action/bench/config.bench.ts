// Warm time to parse and validate a config: the sample quiz's deploy.yml and a 200-route API
// (the route table checks compare every route with the others), and an invalid config, where
// every problem is located in the YAML.
// Run: npx tsx action/bench/config.bench.ts
import { readFile } from 'node:fs/promises';
import { ConfigError, parseConfig } from '../src/config/load.js';
import { timeWarm } from './stats.js';

const WARMUP = 20;
const RUNS = 200;

const median = (run: () => void) => timeWarm(run, { warmup: WARMUP, runs: RUNS }).median;

const sample = await readFile(new URL('../../sample-api/deploy.yml', import.meta.url), 'utf8');
const routes = Array.from(
  { length: 200 },
  (_, i) => `    - { path: "/r${i % 20}/{id}/s${i}", methods: [GET, POST], auth: ${i % 2 ? 'api-key' : 'none'} }`,
);
const manyRoutes = `name: big\nservice:\n  port: 8080\napi:\n  routes:\n${routes.join('\n')}\n`;
const invalid = `${manyRoutes.replace('port: 8080', 'port: 0\n  memory: 100\n  desiredcount: 2')}    - { path: /r0/{x}/dup }\n`;

const cases: [string, string][] = [
  ['sample deploy.yml', sample],
  ['200-route config', manyRoutes],
  ['200 routes, 4 problems', invalid],
];
console.log(`config benchmark: median of ${RUNS} warm runs after ${WARMUP} warm-up runs, Node ${process.version}`);
for (const [name, yaml] of cases) {
  const time = median(() => {
    try {
      parseConfig(yaml, 'deploy.yml');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  });
  console.log(`${name.padEnd(24)} parse + validate: ${time.toFixed(2)} ms`);
}
