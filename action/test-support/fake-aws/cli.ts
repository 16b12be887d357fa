// Runs the loopback AWS as its own process, beside the bundled action in end-to-end tests:
//   npx tsx action/test-support/fake-aws/cli.ts --port 0 --scenario first-create [--stack-name app] [--options '{"resourceStepMs":100}']
// The first line on stdout is the URL (point AWS_ENDPOINT_URL at it); the control API lives under
// <url>/__fake/ (GET state, POST scenario, POST images, POST calls/reset). SIGTERM or SIGINT stops it.
import { parseArgs } from 'node:util';
import { isPreset, PRESETS, type ScenarioInput } from './scenario.js';
import { startFakeAws } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    scenario: { type: 'string', default: 'first-create' },
    'stack-name': { type: 'string' },
    options: { type: 'string', default: '{}' },
  },
});

if (!isPreset(values.scenario)) {
  process.stderr.write(`Unknown scenario "${values.scenario}". Known: ${Object.keys(PRESETS).join(', ')}\n`);
  process.exit(2);
}

const fake = await startFakeAws({
  port: Number(values.port),
  preset: values.scenario,
  stackName: values['stack-name'],
  ...(JSON.parse(values.options) as ScenarioInput),
});
process.stdout.write(`${fake.url}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void fake.close().then(() => process.exit(0)));
}
