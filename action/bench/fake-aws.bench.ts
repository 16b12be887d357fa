// What the loopback AWS itself costs per call, seen through the real SDK, so that the action's
// figures against it can be read net of the test backend: start-up, CreateChangeSet (diffing a
// template), the polling calls, and a whole create with no scripted delays.
// Run: npx tsx action/bench/fake-aws.bench.ts
import { performance } from 'node:perf_hooks';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { awsConfig, sampleTemplate, startFakeAws } from '../test-support/fake-aws/index.js';
import { percentile } from './stats.js';

const RUNS = 200;

const spread = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(2)} ms, p95 ${percentile(values, 95).toFixed(2)} ms (n=${values.length})`;

async function timed(run: () => Promise<unknown>, times = RUNS): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

// A template of about the rendered one's size: the sample plus 50 queues.
const extraResources = Object.fromEntries(
  Array.from({ length: 50 }, (_, i) => [
    `Queue${i}`,
    { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: i % 10 } },
  ]),
);
const bigTemplate = sampleTemplate({ extraResources });
const parameters = [{ ParameterKey: 'ImageUri', ParameterValue: `repo@sha256:${'c'.repeat(64)}` }];

let start = performance.now();
const fake = await startFakeAws({ changeSetReadyMs: 0, resourceStepMs: 0, preset: 'existing', stackName: 'app' });
console.log(`start-up (specification loaded, stack seeded): ${(performance.now() - start).toFixed(0)} ms`);
const cfn = new CloudFormationClient(awsConfig(fake.url));
await cfn.send(new DescribeStacksCommand({ StackName: 'app' })); // warm the client

let n = 0;
const createSamples = await timed(
  () =>
    cfn.send(
      new CreateChangeSetCommand({
        StackName: 'app',
        ChangeSetName: `cs-${n++}`,
        TemplateBody: bigTemplate,
        Parameters: parameters,
        Capabilities: ['CAPABILITY_IAM'],
      }),
    ),
  50,
);
console.log(
  `CreateChangeSet, ${Buffer.byteLength(bigTemplate)} bytes, ${Object.keys(JSON.parse(bigTemplate).Resources).length} resources: ${spread(createSamples)}`,
);
console.log(`DescribeStacks: ${spread(await timed(() => cfn.send(new DescribeStacksCommand({ StackName: 'app' }))))}`);
console.log(
  `DescribeStackEvents: ${spread(await timed(() => cfn.send(new DescribeStackEventsCommand({ StackName: 'app' }))))}`,
);
console.log(
  `DescribeChangeSet: ${spread(await timed(() => cfn.send(new DescribeChangeSetCommand({ StackName: 'app', ChangeSetName: 'cs-0' }))))}`,
);

start = performance.now();
await cfn.send(new ExecuteChangeSetCommand({ StackName: 'app', ChangeSetName: 'cs-0' }));
while ((await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].StackStatus !== 'UPDATE_COMPLETE');
console.log(`execute → UPDATE_COMPLETE with no scripted delays: ${(performance.now() - start).toFixed(1)} ms`);
await fake.close();
