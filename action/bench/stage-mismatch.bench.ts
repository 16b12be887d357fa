// How soon a smoke test that meets a stage-prefix mismatch (API Gateway sends /prod/health, the
// app knows only /health) fails with its cause, and what the diagnosis costs in AWS calls. Real
// clock, the loopback AWS forwarding to a real app.  Run: npx tsx action/bench/stage-mismatch.bench.ts
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { configOf, minimalInput } from '../test-support/configs.js';
import { awsConfig, startFakeAws } from '../test-support/fake-aws/index.js';
import { createSampleStack, startHealthOnlyApp } from '../test-support/fake-aws/sample-stack.js';
import { createDeployClients, smokeTest } from '../src/deploy/index.js';
import { stageMismatchExplainer } from '../src/phases/stage-mismatch.js';
import { MemoryReporter } from '../src/reporter.js';
import { percentile } from './stats.js';

const RUNS = 5;

const app = await startHealthOnlyApp();
const fake = await startFakeAws({
  changeSetReadyMs: 20,
  resourceStepMs: 5,
  service: { taskCycleMs: 20 },
  smoke: { backendUrl: app.url, stageInPath: true },
});
const apiUrl = await createSampleStack(new CloudFormationClient(awsConfig(fake.url)));

Object.assign(process.env, { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
const config = configOf(minimalInput);
const seconds: number[] = [];
let calls = 0;
try {
  for (let run = 0; run < RUNS; run++) {
    const clients = createDeployClients({ region: 'us-east-1' });
    const reporter = new MemoryReporter();
    const explainNotFound = stageMismatchExplainer(clients, 'app', config, '/health', reporter);
    const started = performance.now();
    const failure = await smokeTest(`${apiUrl}health`, { timeoutSeconds: 300, explainNotFound }, reporter).then(
      () => undefined,
      (error: Error) => error.message,
    );
    if (!failure?.includes('stage-prefix mismatch')) throw new Error(`expected the mismatch, got: ${failure}`);
    seconds.push((performance.now() - started) / 1000);
    calls = clients.calls.operations;
  }
} finally {
  await fake.close();
  await app.close();
}
console.log(
  `stage-prefix mismatch named after p50 ${percentile(seconds, 50).toFixed(2)} s, p95 ${percentile(seconds, 95).toFixed(2)} s ` +
    `(n=${RUNS}; without the diagnosis the smoke test retries until its limit, 300 s); AWS calls per diagnosis: ${calls}`,
);
