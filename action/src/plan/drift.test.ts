import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { planClients } from '../../test-support/deploy-world.js';
import { DEFAULT_POLL, systemClock, Waiter } from '../deploy/wait.js';
import { getInputs } from '../phases/inputs.js';
import { deployWithReview, DriftError } from '../phases/review.js';
import { MemoryReporter } from '../reporter.js';
import { awsConfig, sampleTemplate, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import type { DriftScript } from '../../test-support/fake-aws/drift.js';
import type { Template } from '../render/template.js';
import { sampleConfig } from '../../test-support/plan-capture.js';
import { detectDrift, driftLines } from './drift.js';

const POLL = { ...DEFAULT_POLL, initialDelayMs: 10, maxDelayMs: 40 };
const HAND_EDIT: DriftScript = {
  detectionMs: 50,
  resources: [
    { logicalId: 'TaskDefinition', differences: [{ path: '/Memory', expected: '512', actual: '1024' }] },
    { logicalId: 'LogGroup', status: 'DELETED' },
  ],
};

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(drift?: DriftScript) {
  fake = await startFakeAws({ preset: 'existing', stackName: 'app', changeSetReadyMs: 20, resourceStepMs: 1, drift });
  return new CloudFormationClient(awsConfig(fake.url));
}

const options = (timeoutMinutes = 1, signal?: AbortSignal) => ({
  waiter: new Waiter(systemClock, POLL, timeoutMinutes, new MemoryReporter(), signal),
  signal,
});

describe('drift detection', () => {
  it('reports each resource changed or deleted by hand, with the property and both values', async () => {
    const cfn = await start(HAND_EDIT);
    const result = await detectDrift(cfn, 'app', options());
    expect(driftLines(result)).toEqual([
      'TaskDefinition (AWS::ECS::TaskDefinition) was changed by hand: /Memory: 512 → 1024 (NOT_EQUAL)',
      'LogGroup (AWS::Logs::LogGroup) was deleted by hand',
    ]);
    expect(fake!.callCounts()).toMatchObject({ DetectStackDrift: 1, DescribeStackResourceDrifts: 1 });
  });

  it('says which hand-made changes this deploy overwrites and which it leaves', async () => {
    const cfn = await start(HAND_EDIT);
    const result = await detectDrift(cfn, 'app', options());
    expect(driftLines(result, new Set(['TaskDefinition']))).toEqual([
      'TaskDefinition (AWS::ECS::TaskDefinition) was changed by hand: /Memory: 512 → 1024 (NOT_EQUAL) — this deploy overwrites it',
      'LogGroup (AWS::Logs::LogGroup) was deleted by hand — this deploy leaves it as it is',
    ]);
  });

  it('says the stack is in sync when nothing was changed by hand', async () => {
    const cfn = await start();
    expect(driftLines(await detectDrift(cfn, 'app', options()))).toEqual([
      'In sync: no hand-made changes since the last deploy.',
    ]);
  });

  it('gives up at its deadline, naming what it waited for', async () => {
    const cfn = await start({ detectionMs: 60_000, resources: [] });
    await expect(detectDrift(cfn, 'app', options(0.005))).rejects.toThrow(
      /Timed out after 0\.005 minutes \(timeout-minutes\) waiting for drift detection of stack app/,
    );
  });

  it('stops when the run is cancelled', async () => {
    const cfn = await start({ detectionMs: 60_000, resources: [] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    await expect(detectDrift(cfn, 'app', options(1, controller.signal))).rejects.toThrow(
      'Cancelled while waiting for drift detection of stack app.',
    );
  });
});

describe('the drift input', () => {
  async function plan(drift: string, script?: DriftScript) {
    const cfn = await start(script);
    const clients = planClients(cfn, POLL);
    const given: Record<string, string> = { mode: 'plan', 'aws-region': 'us-east-1', drift };
    const template = JSON.parse(sampleTemplate()) as Template;
    const reporter = new MemoryReporter();
    const run = deployWithReview(
      clients,
      getInputs((name) => given[name] ?? '', {}),
      {
        config: sampleConfig(),
        configDir: '.',
        stackName: 'app',
        template,
        templateBody: JSON.stringify(template),
        templatePath: '',
        diagram: '',
      },
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${'0'.repeat(64)}`,
      reporter,
      new AbortController().signal,
    );
    return { run, reporter };
  }

  it('fail: stops before the change set, so nothing in AWS changes', async () => {
    const { run } = await plan('fail', HAND_EDIT);
    await expect(run).rejects.toThrow(DriftError);
    await expect(run).rejects.toThrow(
      /TaskDefinition \(AWS::ECS::TaskDefinition\) was changed by hand[\s\S]*Stopped before the change set \(drift: fail\); nothing was changed\./,
    );
    expect(fake!.callCounts().CreateChangeSet).toBeUndefined();
  });

  it('warn: reports the drift as a warning and in the review, then plans', async () => {
    const { run, reporter } = await plan('warn', HAND_EDIT);
    const { review } = await run;
    expect(review.drift).toMatchObject({ status: 'DRIFTED' });
    expect(reporter.text).toMatch(
      /warning: Stack app was changed outside CloudFormation; resources this deploy updates lose those changes:/,
    );
    expect(fake!.callCounts().CreateChangeSet).toBe(1);
  });

  it('off: never calls drift detection', async () => {
    const { run } = await plan('off', HAND_EDIT);
    expect((await run).review.drift).toBeUndefined();
    expect(fake!.callCounts().DetectStackDrift).toBeUndefined();
  });
});
