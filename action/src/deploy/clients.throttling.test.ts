import { afterEach, expect, it } from '@jest/globals';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { awsEnvironment, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import { createDeployClients } from './clients.js';

let fake: FakeAws | undefined;
const saved = { ...process.env };
afterEach(async () => {
  process.env = { ...saved };
  await fake?.close();
});

it('counts the attempts AWS refused as throttled, the SDK’s own retries included', async () => {
  // The fake's clock stands still, so its budget (one read) never refills.
  fake = await startFakeAws({
    preset: 'existing',
    stackName: 'quiz',
    now: () => 0,
    requestBudget: { reads: { perSecond: 1, burst: 1 } },
  });
  Object.assign(process.env, awsEnvironment(fake.url));
  const clients = createDeployClients({ region: 'us-east-1', maxAttempts: 2 });

  await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: 'quiz' }));
  await expect(clients.cloudFormation.send(new DescribeStacksCommand({ StackName: 'quiz' }))).rejects.toMatchObject({
    name: 'Throttling',
  });

  expect(clients.calls).toMatchObject({ operations: 2, requests: 3, throttled: 2, throttledCloudFormation: 2 });
});
