// Test support for the deploy engine: a clock that only moves when the engine sleeps, and an
// in-memory CloudFormation behind aws-sdk-client-mock whose stacks move through their states
// as that clock advances (change sets ready after a while, resources completing over time).
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
  type ResourceChange,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryReporter } from '../src/reporter.js';
import { CallCounter, type DeployClients } from '../src/deploy/clients.js';
import type { DeployRequest } from '../src/deploy/engine.js';
import { DEFAULT_POLL, systemClock, type Clock, type PollSettings } from '../src/deploy/wait.js';
import { Pacer } from '../src/deploy/pacing.js';

export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

export function fakeClock(start = T0): Clock & { onSleep?: (ms: number) => void } {
  let now = start;
  const clock: Clock & { onSleep?: (ms: number) => void } = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      clock.onSleep?.(ms);
    },
  };
  return clock;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function testClients(clock: Clock) {
  const ecs = new ECSClient({ region: 'eu-west-1', credentials });
  const s3 = new S3Client({ region: 'eu-west-1', credentials });
  const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1', credentials });
  const cloudWatch = new CloudWatchClient({ region: 'eu-west-1', credentials });
  const clients: DeployClients = {
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1', credentials }),
    ecs: async () => ecs,
    s3: async () => s3,
    elbv2: () => Promise.resolve(elbv2),
    cloudWatch: async () => cloudWatch,
    calls: new CallCounter(),
    clock,
    poll: DEFAULT_POLL,
    pacer: new Pacer(DEFAULT_POLL),
  };
  return {
    clients,
    cfn: mockClient(clients.cloudFormation),
    ecs: mockClient(ecs),
    s3: mockClient(s3),
    elbv2: mockClient(elbv2),
    cloudWatch: mockClient(cloudWatch),
  };
}

export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** One resource event of a scripted operation, `after` ms after it starts. */
export interface Step {
  after: number;
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
  physicalId?: string;
  /** The stack the event belongs to (a nested stack's id); default the stack itself. */
  stackId?: string;
}

export interface ChangeSetScript {
  changes?: ResourceChange[];
  emptyReason?: string;
  failReason?: string;
  readyAfter?: number;
}

export interface OperationScript {
  steps: Step[];
  final: string;
  outputs?: Record<string, string>;
}

interface FakeStack {
  id: string;
  name: string;
  protection: boolean;
  outputs: Record<string, string>;
}

/** In-memory CloudFormation. A stack's status is its latest root event visible at the clock's time. */
export class FakeCloudFormation {
  changeSet: ChangeSetScript = { changes: [] };
  operation: OperationScript = { steps: [], final: 'UPDATE_COMPLETE' };
  eventPageSize = 100;
  /** Events DescribeStackEvents leaves out (to play an endpoint that omits some). */
  omitEvent: (event: StackEvent) => boolean = () => false;
  /** When the last change set becomes ready and the last operation ends (clock time), for notice-latency benches. */
  changeSetReadyAt = 0;
  operationEndsAt = 0;
  changePageSize = 100;
  /** false plays an endpoint that stamps no ClientRequestToken on events. */
  recordsTokens = true;
  /** Calls of these commands fail with Throttling this many times first. */
  throttle = new Map<string, number>();
  private readonly events: (StackEvent & { at: number })[] = [];
  private stacks: FakeStack[] = [];
  private changeSets = new Map<string, { createdAt: number; stackId: string; type: string }>();
  private serial = 0;

  constructor(
    private readonly clock: Clock,
    readonly mock: ReturnType<typeof testClients>['cfn'],
  ) {
    const throttled =
      <I, O>(name: string, fn: (input: I) => O) =>
      (input: I) => {
        const left = this.throttle.get(name) ?? 0;
        if (left > 0) {
          this.throttle.set(name, left - 1);
          throw awsError('Throttling', 'Rate exceeded');
        }
        return fn(input);
      };
    mock
      .on(DescribeStacksCommand)
      .callsFake(throttled('DescribeStacks', (input) => this.describeStacks(input.StackName)));
    mock
      .on(DescribeStackEventsCommand)
      .callsFake(throttled('DescribeStackEvents', (input) => this.describeEvents(input.StackName, input.NextToken)));
    mock
      .on(CreateChangeSetCommand)
      .callsFake(
        throttled('CreateChangeSet', (input) =>
          this.createChangeSet(input.StackName, input.ChangeSetName, input.ChangeSetType),
        ),
      );
    mock
      .on(DescribeChangeSetCommand)
      .callsFake(
        throttled('DescribeChangeSet', (input) => this.describeChangeSet(input.ChangeSetName, input.NextToken)),
      );
    mock.on(DeleteChangeSetCommand).callsFake((input) => {
      this.changeSets.delete(input.ChangeSetName);
      return {};
    });
    mock.on(ExecuteChangeSetCommand).callsFake((input) => this.execute(input.ChangeSetName, input.ClientRequestToken));
    mock.on(DeleteStackCommand).callsFake((input) => this.deleteStack(input.StackName, input.ClientRequestToken));
    mock.on(CancelUpdateStackCommand).resolves({});
    mock.on(UpdateTerminationProtectionCommand).callsFake((input) => {
      this.find(input.StackName)!.protection = input.EnableTerminationProtection!;
      return { StackId: input.StackName };
    });
  }

  /** A stack that exists already, in `status` (since an hour ago). */
  givenStack(
    name: string,
    status: string,
    options: { protection?: boolean; outputs?: Record<string, string> } = {},
  ): string {
    const stack = this.newStack(name);
    Object.assign(stack, { protection: options.protection ?? false, outputs: options.outputs ?? {} });
    this.rootEvent(stack, status, this.clock.now() - 3_600_000);
    return stack.id;
  }

  /** The stack `name` moves to `status` `after` ms from now (another run's operation ending, with its token). */
  later(name: string, status: string, after: number, token?: string): void {
    this.rootEvent(this.find(name)!, status, this.clock.now() + after, undefined, token);
  }

  /** An id for a stack nested in `name`; put it in a Step's physicalId (the parent's view) and stackId (its own events). */
  nestedStackId(name: string): string {
    return `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/nested-${++this.serial}`;
  }

  find(nameOrId: string): FakeStack | undefined {
    return [...this.stacks]
      .reverse()
      .find((s) => s.id === nameOrId || (s.name === nameOrId && this.status(s) !== 'DELETE_COMPLETE'));
  }

  status(stack: FakeStack): string {
    const root = this.visible(stack.id).filter(
      (e) => e.PhysicalResourceId === stack.id && e.ResourceType === 'AWS::CloudFormation::Stack',
    );
    return root.at(-1)?.ResourceStatus ?? 'REVIEW_IN_PROGRESS';
  }

  private newStack(name: string): FakeStack {
    const stack = {
      id: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/${++this.serial}`,
      name,
      protection: false,
      outputs: {},
    };
    this.stacks.push(stack);
    return stack;
  }

  private rootEvent(stack: FakeStack, status: string, at: number, reason?: string, token?: string): void {
    this.event(
      {
        stackId: stack.id,
        logicalId: stack.name,
        type: 'AWS::CloudFormation::Stack',
        status,
        reason,
        physicalId: stack.id,
      },
      at,
      token,
    );
  }

  /** token: the ClientRequestToken of the operation that caused the event (AWS stamps every event with it). */
  private event(step: Omit<Step, 'after'>, at: number, token?: string): void {
    this.events.push({
      ClientRequestToken: this.recordsTokens ? token : undefined,
      at,
      EventId: `event-${++this.serial}`,
      StackId: step.stackId,
      StackName: step.stackId!.split('/')[1],
      LogicalResourceId: step.logicalId,
      ResourceType: step.type,
      ResourceStatus: step.status as StackEvent['ResourceStatus'],
      ResourceStatusReason: step.reason,
      PhysicalResourceId: step.physicalId,
      Timestamp: new Date(at),
    });
  }

  private visible(stackId: string) {
    return this.events.filter((e) => e.StackId === stackId && e.at <= this.clock.now()).sort((a, b) => a.at - b.at);
  }

  private describeStacks(nameOrId: string) {
    const stack = this.find(nameOrId);
    if (!stack) throw awsError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    const outputs = Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
    return {
      Stacks: [
        {
          StackId: stack.id,
          StackName: stack.name,
          StackStatus: this.status(stack) as never,
          EnableTerminationProtection: stack.protection,
          Outputs: outputs,
          CreationTime: new Date(T0),
        },
      ],
    };
  }

  describeEvents(nameOrId: string, token?: string) {
    const stack = this.find(nameOrId) ?? this.stacks.find((s) => s.id === nameOrId);
    const id = stack?.id ?? nameOrId;
    const all = this.visible(id)
      .filter((event) => !this.omitEvent(event))
      .reverse(); // newest first
    const start = Number(token ?? 0);
    const page = all.slice(start, start + this.eventPageSize).map(({ at: _at, ...event }) => event);
    const next = start + this.eventPageSize < all.length ? String(start + this.eventPageSize) : undefined;
    return { StackEvents: page, NextToken: next };
  }

  private createChangeSet(stackName: string, changeSetName: string, type: string) {
    let stack = this.find(stackName);
    if (type === 'CREATE' && !stack) {
      stack = this.newStack(stackName);
      this.rootEvent(stack, 'REVIEW_IN_PROGRESS', this.clock.now(), 'User Initiated');
    }
    if (!stack) throw awsError('ValidationError', `Stack [${stackName}] does not exist`);
    const id = `arn:aws:cloudformation:eu-west-1:123456789012:changeSet/${changeSetName}/${++this.serial}`;
    this.changeSets.set(id, { createdAt: this.clock.now(), stackId: stack.id, type });
    this.changeSetReadyAt = this.clock.now() + (this.changeSet.readyAfter ?? 1000);
    return { Id: id, StackId: stack.id };
  }

  private describeChangeSet(id: string, token?: string) {
    const changeSet = this.changeSets.get(id);
    if (!changeSet) throw awsError('ChangeSetNotFoundException', `ChangeSet [${id}] does not exist`);
    const script = this.changeSet;
    if (this.clock.now() < changeSet.createdAt + (script.readyAfter ?? 1000))
      return { ChangeSetId: id, Status: 'CREATE_IN_PROGRESS' as const };
    const reason = script.emptyReason ?? script.failReason;
    if (reason) return { ChangeSetId: id, Status: 'FAILED' as const, StatusReason: reason };
    const changes = (script.changes ?? []).map((ResourceChange) => ({ Type: 'Resource' as const, ResourceChange }));
    const start = Number(token ?? 0);
    const next = start + this.changePageSize < changes.length ? String(start + this.changePageSize) : undefined;
    return {
      ChangeSetId: id,
      Status: 'CREATE_COMPLETE' as const,
      Changes: changes.slice(start, start + this.changePageSize),
      NextToken: next,
    };
  }

  private execute(changeSetId: string, token?: string) {
    const changeSet = this.changeSets.get(changeSetId)!;
    const stack = this.find(changeSet.stackId)!;
    const now = this.clock.now();
    const verb = changeSet.type === 'CREATE' ? 'CREATE' : 'UPDATE';
    this.rootEvent(stack, `${verb}_IN_PROGRESS`, now, 'User Initiated', token);
    for (const step of this.operation.steps) this.event({ stackId: stack.id, ...step }, now + step.after, token);
    const end = Math.max(0, ...this.operation.steps.map((s) => s.after)) + 500;
    this.rootEvent(stack, this.operation.final, now + end, undefined, token);
    this.operationEndsAt = now + end;
    stack.outputs = this.operation.outputs ?? stack.outputs;
    this.changeSets.delete(changeSetId);
    return {};
  }

  private deleteStack(nameOrId: string, token?: string) {
    const stack = this.find(nameOrId);
    if (!stack) return {};
    // A stack that never had resources (REVIEW_IN_PROGRESS) goes at once.
    const takes = this.status(stack) === 'REVIEW_IN_PROGRESS' ? 0 : 3000;
    this.rootEvent(stack, 'DELETE_IN_PROGRESS', this.clock.now(), 'User Initiated', token);
    this.rootEvent(stack, 'DELETE_COMPLETE', this.clock.now() + takes, undefined, token);
    return {};
  }
}

/** A request with the defaults of the action's inputs. */
export function deployRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    stackName: 'quiz',
    templateBody: '{"Resources":{}}',
    parameters: { ImageUri: 'repo@sha256:abc' },
    tags: { app: 'quiz' },
    mode: 'deploy',
    timeoutMinutes: 30,
    failOnEmptyChangeset: false,
    deleteFailedStack: true,
    terminationProtection: false,
    ...overrides,
  };
}

/** The stack events as the log shows them, shortened to `STATUS LogicalId`. */
export function eventLines(reporter: MemoryReporter): string[] {
  return reporter.lines
    .filter((line) => /^\d\d:\d\d:\d\d {2}/.test(line))
    .map((line) =>
      line
        .slice(10)
        .replace(/ \(.*$/, '')
        .replace(/\s+/, ' '),
    );
}

/** A fresh clock, mocked clients, an in-memory CloudFormation and a reporter. */
export function testWorld() {
  const clock = fakeClock();
  const env = testClients(clock);
  return { clock, env, aws: new FakeCloudFormation(clock, env.cfn), reporter: new MemoryReporter() };
}

/**
 * Clients for a plan against a real (loopback) CloudFormation, on the system clock with fast
 * polls: a plan reads nothing else, so every other client fails loudly if it is ever asked for.
 */
export function planClients(cloudFormation: CloudFormationClient, poll: Partial<PollSettings> = {}): DeployClients {
  const unused = (what: string) => () => Promise.reject(new Error(`${what} is not used by a plan`));
  return {
    cloudFormation,
    ecs: unused('ECS'),
    s3: unused('S3'),
    elbv2: unused('ELBv2'),
    cloudWatch: unused('CloudWatch'),
    calls: new CallCounter(),
    clock: systemClock,
    poll: { ...DEFAULT_POLL, initialDelayMs: 10, maxDelayMs: 40, ...poll },
    pacer: new Pacer(DEFAULT_POLL),
  };
}
