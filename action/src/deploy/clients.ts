// The AWS clients the deploy engine uses, for one Region. Endpoints need no code here: SDK v3
// reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (AWS_ENDPOINT_URL_CLOUDFORMATION, _ECS,
// _S3, …) itself, so the action can be pointed at any AWS-compatible endpoint.
// ECS (diagnostics of a failed service) and S3 (templates over 51,200 bytes) are loaded on first
// use: most runs need neither, and the bundle keeps them out of its start-up path.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { explainErrors, requestHandler, type AttemptLimits } from './aws-config.js';
import type { Reporter } from '../reporter.js';
import { Pacer } from './pacing.js';
import { DEFAULT_POLL, isThrottling, systemClock, Waiter, type Clock, type PollSettings } from './wait.js';

/** Counts AWS calls (operations, and HTTP requests including the SDK's own retries). */
export class CallCounter {
  operations = 0;
  requests = 0;
  /** Requests AWS refused as throttled, the SDK's own retries included. */
  throttled = 0;
  /** Of those, CloudFormation's: they slow the run's CloudFormation calls (other services have their own budgets). */
  throttledCloudFormation = 0;
  readonly byOperation = new Map<string, number>();

  countOperation(name: string): void {
    this.operations += 1;
    this.byOperation.set(name, (this.byOperation.get(name) ?? 0) + 1);
  }

  reset(): void {
    this.operations = 0;
    this.requests = 0;
    this.throttled = 0;
    this.throttledCloudFormation = 0;
    this.byOperation.clear();
  }
}

export interface DeployClients {
  cloudFormation: CloudFormationClient;
  /** Created (and its SDK package loaded) on the first call; the same client afterwards. */
  ecs: () => Promise<ECSClient>;
  s3: () => Promise<S3Client>;
  /** Target health, read when the smoke test needs to tell a wrong path from a down service. */
  elbv2: () => Promise<ElasticLoadBalancingV2Client>;
  /** Alarm details when ECS rolls a deployment back. */
  cloudWatch: () => Promise<CloudWatchClient>;
  calls: CallCounter;
  clock: Clock;
  poll: PollSettings;
  /** The run's pacing of CloudFormation calls, learnt from throttling and shared by all its waits. */
  pacer: Pacer;
}

/**
 * A waiter for one stage of the run (review, lookups, deploy, delete): its own deadline, the run's
 * clock, signal, pacing and throttle count, so a stage starts at the pace the last one learnt.
 */
export function waiterFor(
  clients: Pick<DeployClients, 'clock' | 'poll' | 'calls' | 'pacer'>,
  timeoutMinutes: number,
  reporter: Reporter,
  signal?: AbortSignal,
): Waiter {
  const { calls } = clients;
  return new Waiter(clients.clock, clients.poll, timeoutMinutes, reporter, signal, {
    sdkThrottles: {
      get throttled() {
        return calls.throttledCloudFormation;
      },
    },
    pacer: clients.pacer,
  });
}

export interface ClientOptions {
  region?: string;
  /** SDK attempts per call (transient errors); throttling beyond them is ridden out by the Waiter. */
  maxAttempts?: number;
  clock?: Clock;
  poll?: Partial<PollSettings>;
  /** The run's signal (cancel, timeout-minutes): aborts every request in flight. */
  signal?: AbortSignal;
  attemptLimits?: AttemptLimits;
}

type Stack = CloudFormationClient['middlewareStack'];

/** Adds the counting middleware to a client's stack (initialize: once per call; build: once per attempt). */
export function countCalls(
  middlewareStack:
    | Stack
    | ECSClient['middlewareStack']
    | S3Client['middlewareStack']
    | ElasticLoadBalancingV2Client['middlewareStack']
    | CloudWatchClient['middlewareStack'],
  calls: CallCounter,
  service: string,
): void {
  const stack = middlewareStack as Stack;
  stack.add(
    (next, context) => (args) => {
      calls.countOperation(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countOperations' },
  );
  stack.add(
    (next) => async (args) => {
      calls.requests += 1;
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(error)) {
          calls.throttled += 1;
          if (service === 'CloudFormation') calls.throttledCloudFormation += 1;
        }
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'countRequests' },
  );
}

/** Runs load once, on the first call. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export function createDeployClients(options: ClientOptions = {}): DeployClients {
  const { region, signal } = options;
  const config = () => ({
    region,
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: requestHandler(signal, options.attemptLimits),
  });
  const calls = new CallCounter();
  const counted = <T extends { middlewareStack: Parameters<typeof countCalls>[0] }>(client: T, service: string) => {
    countCalls(client.middlewareStack, calls, service);
    return explainErrors(client as T & { middlewareStack: Stack }, service, region, signal);
  };
  // Buckets as host names (bucket.s3.…) only work on AWS itself; AWS-compatible endpoints
  // (LocalStack, MinIO, test servers) are reached by path.
  const customS3 = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  const poll = { ...DEFAULT_POLL, ...options.poll };
  return {
    cloudFormation: counted(new CloudFormationClient(config()), 'CloudFormation'),
    ecs: once(async () => counted(new (await import('@aws-sdk/client-ecs')).ECSClient(config()), 'ECS')),
    s3: once(async () =>
      counted(new (await import('@aws-sdk/client-s3')).S3Client({ ...config(), forcePathStyle: customS3 }), 'S3'),
    ),
    elbv2: once(async () =>
      counted(
        new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(config()),
        'ELBv2',
      ),
    ),
    cloudWatch: once(async () =>
      counted(new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config()), 'CloudWatch'),
    ),
    calls,
    clock: options.clock ?? systemClock,
    poll,
    pacer: new Pacer(poll),
  };
}
