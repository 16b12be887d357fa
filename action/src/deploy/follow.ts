// Follows a stack operation through its events: each event printed once, in order, nested
// stacks included, until the root stack reaches a terminal status. Keeps what a failure report
// needs: the failed events in order and the ECS services the operation touched.
// The operation's events are told from older ones by the ClientRequestToken the operation was
// started with (AWS gives it to every event the operation causes), so following costs no read
// before the operation starts: CloudFormation's read budget is shared by every deploy in the
// account and Region.
import {
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { Reporter } from '../reporter.js';
import { isTerminal } from './stack-state.js';
import type { Waiter } from './wait.js';

interface FollowedStack {
  stackId: string;
  /** Prefix for logical ids in the log: '' for the root, 'Nested/' for a nested stack. */
  label: string;
  /** Newest event already accounted for; older ones are not this operation's. */
  lastEventId?: string;
  /** The root stack's events of this operation carry this token; the others are older. */
  token?: string;
  /** Events before this belong to earlier operations (nested stacks; events that carry no token). */
  since?: Date;
}

/** The operation to follow: the token it was started with, and when (by this machine's clock). */
export interface FollowedOperation {
  clientRequestToken: string;
  startedAt: number;
}

type LabelledEvent = StackEvent & { label: string };

/** After this many polls without a new event, ask the stack's status directly (a missed event must not hang the run). */
const QUIET_POLLS_BEFORE_STATUS_CHECK = 10;

export class StackFollower {
  readonly failures: StackEvent[] = [];
  /** ECS services by physical id (service ARN) → their latest status. */
  readonly ecsServices = new Map<string, { logicalId: string; status: string; since?: Date }>();
  private readonly stacks: FollowedStack[];
  private readonly seen = new Set<string>();

  constructor(
    private readonly cfn: CloudFormationClient,
    private readonly waiter: Waiter,
    private readonly reporter: Reporter,
    readonly stackId: string,
    operation: FollowedOperation,
    /** Called once per failed event, as soon as it is seen (diagnostics that cannot wait for the end). */
    private readonly onFailure?: (event: StackEvent) => Promise<void>,
    /** Called once per poll, after the poll's events (the live rollout view). */
    private readonly onPoll?: () => Promise<void>,
  ) {
    this.stacks = [{ stackId, label: '', token: operation.clientRequestToken, since: new Date(operation.startedAt) }];
  }

  /** Prints events as they happen until the root stack is terminal; returns that status. */
  async follow(): Promise<string> {
    let quietPolls = 0;
    const name = this.stackId.split('/')[1] ?? this.stackId;
    return this.waiter.until(`stack ${name} to finish`, async () => {
      const { events, commit } = await this.newEvents();
      commit();
      let terminal: string | undefined;
      for (const event of events) {
        this.record(event);
        if (event.ResourceStatus?.endsWith('_FAILED')) await this.onFailure?.(event);
        if (
          event.PhysicalResourceId === this.stackId &&
          event.ResourceType === 'AWS::CloudFormation::Stack' &&
          isTerminal(event.ResourceStatus ?? '')
        ) {
          terminal = event.ResourceStatus;
        }
      }
      // Also on the last poll: a service completing with the stack still gets its final read.
      await this.onPoll?.();
      quietPolls = events.length > 0 ? 0 : quietPolls + 1;
      if (terminal === undefined && quietPolls >= QUIET_POLLS_BEFORE_STATUS_CHECK) {
        quietPolls = 0;
        const status = await this.stackStatus();
        if (isTerminal(status)) terminal = status;
      }
      return terminal;
    });
  }

  /** The first failure that caused the others: not a cancellation, not a (nested) stack summing up. */
  rootCause(): StackEvent | undefined {
    const cause = (e: StackEvent) =>
      !/cancel/i.test(e.ResourceStatusReason ?? '') && e.ResourceType !== 'AWS::CloudFormation::Stack';
    return this.failures.find(cause) ?? this.failures[0];
  }

  private async stackStatus(): Promise<string> {
    const output = await this.cfn.send(new DescribeStacksCommand({ StackName: this.stackId }));
    return output.Stacks?.[0]?.StackStatus ?? 'DELETE_COMPLETE';
  }

  /**
   * New events of every followed stack, oldest first, including stacks nested in those events.
   * They count as seen only once commit() is called, so a poll that fails half-way (throttled
   * on its third page) loses nothing: the retry reads the same events again.
   */
  private async newEvents(): Promise<{ events: LabelledEvent[]; commit: () => void }> {
    const all: LabelledEvent[] = [];
    const commits: (() => void)[] = [];
    for (let pending = [...this.stacks]; pending.length > 0;) {
      const fetched: LabelledEvent[] = [];
      for (const stack of pending) {
        const { events, commit } = await this.newEventsOf(stack);
        fetched.push(...events);
        commits.push(commit);
      }
      all.push(...fetched);
      // A nested stack found now is read in the same poll, so its events print in their place.
      pending = fetched.flatMap((event) => this.nestedStackOf(event) ?? []);
      this.stacks.push(...pending);
    }
    // Stable sort: each stack's events are already in order; this interleaves the stacks.
    const events = all.sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
    return { events, commit: () => commits.forEach((commit) => commit()) };
  }

  private nestedStackOf(event: LabelledEvent): FollowedStack | undefined {
    const id = event.PhysicalResourceId ?? '';
    const isNew =
      event.ResourceType === 'AWS::CloudFormation::Stack' &&
      id.startsWith('arn:') &&
      !this.stacks.some((s) => s.stackId === id);
    return isNew
      ? { stackId: id, label: `${event.label}${event.LogicalResourceId}/`, since: event.Timestamp }
      : undefined;
  }

  private async newEventsOf(stack: FollowedStack): Promise<{ events: LabelledEvent[]; commit: () => void }> {
    const fresh: StackEvent[] = []; // newest first, as CloudFormation pages them
    let token: string | undefined;
    let reachedOld = false;
    do {
      const page = await this.cfn.send(new DescribeStackEventsCommand({ StackName: stack.stackId, NextToken: token }));
      for (const event of page.StackEvents ?? []) {
        if (event.EventId === stack.lastEventId || this.seen.has(event.EventId!) || isOlder(event, stack)) {
          reachedOld = true;
          break;
        }
        fresh.push(event);
      }
      token = page.NextToken;
    } while (token && !reachedOld);
    const commit = () => {
      const [newest] = fresh;
      if (newest) stack.lastEventId = newest.EventId;
      for (const event of fresh) this.seen.add(event.EventId!);
    };
    return { events: fresh.map((event) => ({ ...event, label: stack.label })).reverse(), commit };
  }

  private record(event: LabelledEvent): void {
    const status = event.ResourceStatus ?? '';
    this.reporter.info(formatEvent(event, event.label));
    if (status.endsWith('_FAILED')) this.failures.push(event);
    const physicalId = event.PhysicalResourceId ?? '';
    if (event.ResourceType === 'AWS::ECS::Service' && physicalId.startsWith('arn:')) {
      const since = status.endsWith('_IN_PROGRESS') ? event.Timestamp : this.ecsServices.get(physicalId)?.since;
      this.ecsServices.set(physicalId, { logicalId: event.LogicalResourceId ?? '', status, since });
    }
  }
}

/**
 * An event from before the followed operation. An endpoint that records no tokens gets its
 * events judged by time instead (stamped before the operation started: older).
 */
function isOlder(event: StackEvent, stack: FollowedStack): boolean {
  if (stack.token !== undefined && event.ClientRequestToken) return event.ClientRequestToken !== stack.token;
  return stack.since !== undefined && event.Timestamp !== undefined && event.Timestamp < stack.since;
}

/** Wide enough for the longest status, so the columns line up. */
const STATUS_WIDTH = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'.length;

export function formatEvent(event: StackEvent, label = ''): string {
  const time = event.Timestamp ? event.Timestamp.toISOString().slice(11, 19) : '--:--:--';
  const reason = event.ResourceStatusReason ? `  ${event.ResourceStatusReason}` : '';
  return `${time}  ${(event.ResourceStatus ?? '').padEnd(STATUS_WIDTH)} ${label}${event.LogicalResourceId} (${event.ResourceType})${reason}`;
}
