import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { awsConfig, startFakeAws, type FakeAws } from './index.js';
import { RequestBudget } from './request-budget.js';

const budget = (now: () => number) =>
  new RequestBudget({ reads: { perSecond: 10, burst: 3 }, writes: { perSecond: 1, burst: 1 } }, now);

describe('RequestBudget', () => {
  it('admits a burst at once, then refills at the sustained rate', () => {
    let now = 0;
    const b = budget(() => now);
    expect([1, 2, 3, 4].map(() => b.admit('DescribeStacks'))).toEqual([true, true, true, false]);
    now += 99;
    expect(b.admit('DescribeStackEvents')).toBe(false);
    now += 1; // 100 ms at 10/s: one token
    expect(b.admit('DescribeStackEvents')).toBe(true);
    expect(b.admit('DescribeStackEvents')).toBe(false);
    now += 60_000; // a quiet minute refills up to the burst, not beyond
    expect([1, 2, 3, 4].map(() => b.admit('ListChangeSets'))).toEqual([true, true, true, false]);
  });

  it('keeps reads and writes apart, and a refused call takes nothing', () => {
    let now = 0;
    const b = budget(() => now);
    expect([b.admit('CreateChangeSet'), b.admit('ExecuteChangeSet')]).toEqual([true, false]);
    expect(b.admit('DescribeChangeSet')).toBe(true);
    now += 1000;
    for (let i = 0; i < 5; i++) b.admit('DescribeStacks'); // reads do not drain the writes' bucket
    expect(b.admit('ExecuteChangeSet')).toBe(true);
  });

  it('refuses settings that could never admit a call', () => {
    expect(() => new RequestBudget({ reads: { perSecond: 0, burst: 5 } }, () => 0)).toThrow(
      'requestBudget.reads needs perSecond > 0 and burst ≥ 1',
    );
  });
});

describe('the fake with a request budget', () => {
  let fake: FakeAws | undefined;
  afterEach(async () => fake?.close());

  it('answers Throttling "Rate exceeded" as CloudFormation does once the budget is spent', async () => {
    const now = 1_000_000;
    fake = await startFakeAws({
      preset: 'existing',
      stackName: 'app',
      now: () => now,
      requestBudget: { reads: { perSecond: 1, burst: 2 } },
    });
    const cfn = new CloudFormationClient({ ...awsConfig(fake.url), maxAttempts: 1 });
    await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).rejects.toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    const raw = await fetch(fake.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeStacks&Version=2010-05-15&StackName=app',
    });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>Throttling<\/Code>/);
    expect(fake.calls.filter((c) => c.error === 'Throttling')).toHaveLength(2);
  });

  it('throttles nothing unless asked to', async () => {
    fake = await startFakeAws({ preset: 'existing', stackName: 'app' });
    const cfn = new CloudFormationClient({ ...awsConfig(fake.url), maxAttempts: 1 });
    for (let i = 0; i < 40; i++) await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    expect(fake.calls.some((c) => c.error)).toBe(false);
  });
});
