// The sample API deployed and smoke-tested through the loopback API Gateway both ways it may
// forward a request: with the route's own path, and with the stage in front of it (as AWS's page
// on REST API private integrations says it does). The sample really runs, with the environment
// the rendered task definition gives it, so API_STAGE_PREFIX is tested end to end.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config/load.js';
import { renderStack } from '../src/render/index.js';
import { awsEnvironment, startFakeAws, type FakeAws } from '../test-support/fake-aws/index.js';
import { NODES, ROOT, runAction } from './run-action.js';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'b'.repeat(64)}`;

/** The container's plain environment variables, as the rendered task definition sets them. */
async function taskEnvironment(): Promise<Record<string, string>> {
  const template = renderStack(await loadConfig(join(ROOT, 'sample-api/deploy.yml')));
  const [container] = template.Resources.TaskDefinition.Properties!.ContainerDefinitions as {
    Environment: { Name: string; Value: unknown }[];
  }[];
  // Values CloudFormation resolves (the table name) have no meaning here: the sample keeps quizzes in memory.
  return Object.fromEntries(
    container.Environment.filter((e) => typeof e.Value === 'string').map((e) => [e.Name, e.Value as string]),
  );
}

let fake: FakeAws | undefined;
let sample: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  await fake?.close();
  if (sample && sample.exitCode === null) {
    sample.kill('SIGTERM');
    await once(sample, 'close');
  }
  fake = sample = undefined;
});

/** Starts the sample API on a free port; resolves with its URL once it listens. */
async function startSample(environment: Record<string, string>): Promise<string> {
  sample = spawn(process.execPath, ['--import', 'tsx', 'sample-api/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...environment,
      PORT: '0',
      STORE: 'memory',
      QUIZMASTER_KEY: 'quizmaster-key-for-e2e-tests',
      SHUTDOWN_GRACE_SECONDS: '0',
    },
  });
  for await (const line of createInterface({ input: sample.stdout })) {
    const entry = JSON.parse(line) as { message?: string; port?: number };
    if (entry.message === 'listening') return `http://127.0.0.1:${entry.port}`;
  }
  throw new Error('the sample API stopped before it listened');
}

async function deploy(backendUrl: string, stageInPath: boolean) {
  fake = await startFakeAws({
    stackName: 'pubquiz',
    changeSetReadyMs: 300,
    resourceStepMs: 15,
    smoke: { backendUrl, stageInPath },
  });
  const run = await runAction({
    node: NODES.node24,
    inputs: { config: 'sample-api/deploy.yml', image: IMAGE, 'timeout-minutes': '2' },
    env: awsEnvironment(fake.url),
  });
  const forwarded = fake.calls.filter((c) => c.service === 'api').map((c) => c.input?.forwardedPath);
  return { run, forwarded };
}

describe('the sample API behind API Gateway, whichever path the private integration sends', () => {
  it('answers the smoke test when the gateway sends the route path', async () => {
    const { run, forwarded } = await deploy(await startSample(await taskEnvironment()), false);
    expect(run.code).toBe(0);
    expect(run.log).toMatch(/Smoke test: GET .*\/prod\/health → 200/);
    expect(forwarded).toEqual(['/health']);
  });

  it('answers the smoke test when the gateway puts the stage in front, because the task is told the prefix', async () => {
    const environment = await taskEnvironment();
    expect(environment.API_STAGE_PREFIX).toBe('/prod');
    const { run, forwarded } = await deploy(await startSample(environment), true);
    expect(run.code).toBe(0);
    expect(run.log).toMatch(/Smoke test: GET .*\/prod\/health → 200/);
    expect(forwarded).toEqual(['/prod/health']);
  });

  it('fails naming the stage-prefix mismatch and the fix when the app does not strip the prefix', async () => {
    const { API_STAGE_PREFIX: _, ...withoutPrefix } = await taskEnvironment();
    const { run, forwarded } = await deploy(await startSample(withoutPrefix), true);
    expect(run.code).toBe(1);
    const failure = run.log.split('\n').find((line) => line.startsWith('::error::')) ?? '';
    expect(failure).toMatch(/answered 404 Not Found, 3 times in a row/);
    expect(failure).toContain('The load balancer reports');
    expect(failure).toContain('stage-prefix mismatch');
    expect(failure).toContain('API_STAGE_PREFIX (/prod on the task)');
    expect(forwarded).toEqual(['/prod/health', '/prod/health', '/prod/health']);
    expect(fake!.callCounts('elbv2').DescribeTargetHealth).toBe(1);
  });
});
