import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CancelUpdateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { outlivesRun, setupHint } from './aws-config.js';
import { createDeployClients } from './clients.js';
import { DeadlineReached } from './run-limits.js';
import { CancelledError, TimeoutError } from './wait.js';

/** Accepts connections and never answers (what a hung endpoint looks like); counts them. */
let silent: Server;
let sockets: Socket[];
let endpoint: string;
const saved = { ...process.env };

beforeEach(async () => {
  sockets = [];
  silent = createServer((socket) => sockets.push(socket.on('error', () => {})));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
});

afterEach(async () => {
  process.env = { ...saved };
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const describeStacks = new DescribeStacksCommand({ StackName: 'quiz' });

describe('AWS clients against an endpoint that never answers', () => {
  it('give up each attempt after its deadline, with a hint naming the endpoint', async () => {
    const clients = createDeployClients({
      region: 'eu-west-1',
      maxAttempts: 2,
      attemptLimits: { connectionTimeoutMs: 1000, requestTimeoutMs: 150 },
    });
    const error = await clients.cloudFormation.send(describeStacks).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect((error as Error).message).toContain(`Hint: ${endpoint} did not answer in time`);
    expect(sockets).toHaveLength(2); // both attempts, each cut off
  });

  it('stop the request in flight when the run is cancelled or runs out of time, naming the call', async () => {
    for (const [reason, expected] of [
      [new CancelledError('cancelled by SIGTERM'), /^Cancelled while waiting for CloudFormation DescribeStacks\.$/],
      [
        new DeadlineReached(1),
        /^Timed out after 1 minute \(timeout-minutes\) waiting for CloudFormation DescribeStacks\.$/,
      ],
    ] as const) {
      const run = new AbortController();
      const clients = createDeployClients({ region: 'eu-west-1', signal: run.signal });
      const pending = clients.cloudFormation.send(describeStacks).catch((e: Error) => e);
      await new Promise<void>((resolve) => silent.once('connection', () => resolve()));
      run.abort(reason);
      const error = await pending;
      expect(error).toBeInstanceOf(reason instanceof DeadlineReached ? TimeoutError : CancelledError);
      expect((error as Error).message).toMatch(expected);
    }
  });

  it('still send CancelUpdateStack after the run was cancelled, within its own short deadline', async () => {
    const run = new AbortController();
    run.abort(new CancelledError('cancelled by SIGINT'));
    const clients = createDeployClients({ region: 'eu-west-1', signal: run.signal });
    const before = sockets.length;
    const sent = clients.cloudFormation
      .send(new CancelUpdateStackCommand({ StackName: 'quiz' }), { abortSignal: outlivesRun(200) })
      .catch((e: Error) => e);
    await new Promise<void>((resolve) => silent.once('connection', () => resolve()));
    expect(sockets.length).toBe(before + 1); // it went out despite the aborted run
    expect(await sent).toBeInstanceOf(Error);
  });
});

describe('setupHint', () => {
  it('names the endpoint and the Region when nothing listens', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(setupHint(refused, 'CloudFormation', 'eu-west-1')).toBe(
      `Hint: nothing accepts connections at ${endpoint}; check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CLOUDFORMATION and the Region (eu-west-1).`,
    );
  });

  it('points at the credentials step when there are none, or AWS refuses them', () => {
    expect(setupHint({ name: 'CredentialsProviderError' }, 'ECR', 'eu-west-1')).toMatch(
      /^Hint: no AWS credentials were found; run aws-actions\/configure-aws-credentials before this step/,
    );
    expect(setupHint({ name: 'InvalidClientTokenId' }, 'CloudFormation', 'eu-west-1')).toMatch(
      /did not accept the credentials.*Region eu-west-1 is enabled/,
    );
  });

  it('says nothing about ordinary AWS errors', () => {
    expect(setupHint({ name: 'ValidationError' }, 'CloudFormation', 'eu-west-1')).toBeUndefined();
  });
});
