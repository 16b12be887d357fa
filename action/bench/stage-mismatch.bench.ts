// How soon a smoke test that meets a stage-prefix mismatch (API Gateway sends /prod/health, the
// app knows only /health) fails with its cause, and what the diagnosis costs in AWS calls. Real
// clock, the loopback AWS forwarding to a real app.  Run: npx tsx action/bench/stage-mismatch.bench.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { configOf, minimalInput } from '../test-support/configs.js';
import { awsConfig, eventually, sampleTemplate, startFakeAws } from '../test-support/fake-aws/index.js';
import { createDeployClients, smokeTest } from '../src/deploy/index.js';
import { stageMismatchExplainer } from '../src/phases/stage-mismatch.js';
import { MemoryReporter } from '../src/reporter.js';
import { percentile } from './stats.js';

const RUNS = 5;

const app = createServer((request, response) => {
  const known = request.url === '/health';
  response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' }).end(known ? '{"ok":true}' : '{}');
});
await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
const backendUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

const fake = await startFakeAws({
  changeSetReadyMs: 20,
  resourceStepMs: 5,
  service: { taskCycleMs: 20 },
  smoke: { backendUrl, stageInPath: true },
});
const cfn = new CloudFormationClient(awsConfig(fake.url));
const { Id } = await cfn.send(
  new CreateChangeSetCommand({
    StackName: 'app',
    ChangeSetName: 'cs',
    ChangeSetType: 'CREATE',
    TemplateBody: sampleTemplate(),
    Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'repo@sha256:1' }],
    Capabilities: ['CAPABILITY_IAM'],
  }),
);
await eventually(
  async () => (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).Status === 'CREATE_COMPLETE',
);
await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
await eventually(
  async () =>
    (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].StackStatus === 'CREATE_COMPLETE',
);
const apiUrl = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].Outputs!.find(
  (o) => o.OutputKey === 'ApiUrl',
)!.OutputValue!;

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
  await new Promise((resolve) => app.close(resolve));
}
console.log(
  `stage-prefix mismatch named after p50 ${percentile(seconds, 50).toFixed(2)} s, p95 ${percentile(seconds, 95).toFixed(2)} s ` +
    `(n=${RUNS}; without the diagnosis the smoke test retries until its limit, 300 s); AWS calls per diagnosis: ${calls}`,
);
