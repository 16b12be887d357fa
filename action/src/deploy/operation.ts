// Runs one stack operation (execute a change set, delete a stack) and follows it to the end.
// A failure leads with its root cause and what ECS knows; a timeout says what was still
// running; a cancelled update is cancelled in CloudFormation too.
import { CancelUpdateStackCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { Reporter } from '../reporter.js';
import type { DeployClients } from './clients.js';
import { StackFollower } from './follow.js';
import { RolloutView, type RolloutSummary } from './rollout.js';
import { isSuccess } from './stack-state.js';
import { formatDuration } from './stack.js';
import { CancelledError, TimeoutError, type Waiter } from './wait.js';
import { outlivesRun } from './aws-config.js';

/** CancelUpdateStack must go out within the few seconds between a cancel and the exit. */
const CANCEL_CALL_MS = 3000;

export interface RootCause {
  logicalId: string;
  type: string;
  reason: string;
}

/** A failed stack operation. The message leads with the root cause, then the ECS diagnostics. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  /** Set once a change set was executed: the stack and change set the failure belongs to. */
  stackId?: string;
  changeSetId?: string;
  constructor(
    message: string,
    readonly status?: string,
    readonly rootCause?: RootCause,
    readonly diagnostics: string[] = [],
    /** The ECS rollout the operation followed, when there was one. */
    readonly rollout?: RolloutSummary,
  ) {
    super(message);
  }
}

export interface Operation {
  kind: 'create' | 'update' | 'delete';
  stackId: string;
  stackName: string;
  /** Passed to CloudFormation by start(): a retried start is harmless, and the operation's events carry it. */
  clientRequestToken: string;
  /** Starts the operation in CloudFormation (ExecuteChangeSet, DeleteStack). */
  start: () => Promise<unknown>;
  /** Receives the ECS rollout the operation followed, when it succeeded. */
  onRollout?: (rollout: RolloutSummary) => void;
}

export async function runOperation(
  clients: DeployClients,
  waiter: Waiter,
  reporter: Reporter,
  operation: Operation,
): Promise<string> {
  const diagnostics: string[] = [];
  const diagnosed = new Set<string>();
  const diagnose = async (serviceArn: string) => {
    if (diagnosed.has(serviceArn)) return;
    diagnosed.add(serviceArn);
    // Diagnostics explain a failure; their own failure (say, no ecs:Describe* right) must not hide it.
    const lines = await askEcs(clients, waiter, serviceArn).catch((error: Error) => [
      `Could not read the ECS service ${serviceArn} for diagnostics: ${error.message}`,
    ]);
    for (const line of lines) reporter.info(line);
    diagnostics.push(...lines);
  };

  const rollouts = new Map<string, RolloutView>();
  const unreadable = new Set<string>();
  const settled = new Set<string>();
  /** One ECS call per poll, for the first service the stack is creating or updating. */
  const followRollout = async () => {
    const moving = [...follower.ecsServices].find(
      ([arn, s]) =>
        /^(CREATE|UPDATE)_(IN_PROGRESS|COMPLETE)$/.test(s.status) &&
        s.since &&
        !unreadable.has(arn) &&
        !settled.has(arn) &&
        !rollouts.get(arn)?.finished,
    );
    if (!moving) return;
    const [arn, service] = moving;
    // Once the stack calls the service done, one last read shows how the rollout ended.
    if (service.status.endsWith('_COMPLETE')) settled.add(arn);
    let view = rollouts.get(arn);
    if (!view)
      rollouts.set(
        arn,
        (view = new RolloutView(clients.ecs, clients.cloudWatch, waiter, reporter, arn, service.since!)),
      );
    // The view explains a failure; its own failure (say, no ecs:Describe* right) must not end the deploy.
    await view.poll().catch((error: Error) => {
      unreadable.add(arn);
      reporter.warning(`Not following the ECS rollout of ${arn}: ${error.message}`);
    });
  };
  const follower = new StackFollower(
    clients.cloudFormation,
    waiter,
    reporter,
    operation.stackId,
    { clientRequestToken: operation.clientRequestToken, startedAt: waiter.clock.now() },
    async (event) => {
      // Right away: a rollback deletes a new service, and its stopped tasks with it.
      if (event.ResourceType === 'AWS::ECS::Service' && event.PhysicalResourceId?.startsWith('arn:')) {
        await diagnose(event.PhysicalResourceId);
      }
    },
    followRollout,
  );
  const started = waiter.clock.now();

  let status: string;
  try {
    // Inside the try: a cancel that lands while the update starts still cancels it.
    await waiter.write(`stack ${operation.stackName} to start`, operation.start);
    status = await follower.follow();
  } catch (error) {
    if (error instanceof CancelledError) throw await cancel(clients, reporter, operation);
    if (error instanceof TimeoutError) {
      // At the step's deadline no call goes out any more; at the engine's own deadline ECS still explains.
      for (const [arn, service] of follower.ecsServices) {
        if (service.status.endsWith('_IN_PROGRESS') && !waiter.cancelled) await diagnose(arn);
      }
      const running = [...follower.ecsServices.values()].filter((s) => s.status.endsWith('_IN_PROGRESS'));
      const still =
        running.length > 0 ? ` ${running.map((s) => `${s.logicalId} is still ${s.status}`).join('; ')}.` : '';
      throw new DeployError([`${error.message}${still}`, ...diagnostics].join('\n'), undefined, undefined, diagnostics);
    }
    throw error;
  }
  const took = formatDuration(waiter.clock.now() - started);
  const rollout = [...rollouts.values()].map((view) => view.summary()).find(Boolean);
  if (isSuccess(status)) {
    reporter.info(`Stack ${operation.stackName} is ${status} (${took}).`);
    if (rollout) operation.onRollout?.(rollout);
    return status;
  }
  const why: string[] = [];
  for (const view of rollouts.values()) why.push(...(await view.explain().catch(() => [])));
  const error = failure(operation.stackName, status, follower.rootCause(), [...why, ...diagnostics]);
  throw new DeployError(error.message, error.status, error.rootCause, error.diagnostics, rollout);
}

/** ECS is loaded only when a service fails or hangs. */
async function askEcs(clients: DeployClients, waiter: Waiter, serviceArn: string): Promise<string[]> {
  const { diagnoseService } = await import('./diagnose.js');
  return diagnoseService(await clients.ecs(), waiter, serviceArn);
}

function failure(stackName: string, status: string, event: StackEvent | undefined, diagnostics: string[]): DeployError {
  const rootCause = event && {
    logicalId: event.LogicalResourceId ?? '?',
    type: event.ResourceType ?? '?',
    reason: event.ResourceStatusReason ?? 'no reason given',
  };
  // When ECS rolled back, why it did (an alarm, the circuit breaker) leads.
  const rolledBack = diagnostics.filter((line) => line.startsWith('ECS rolled the deployment back'));
  const lines = [
    ...rolledBack,
    rootCause
      ? `Resource ${rootCause.logicalId} (${rootCause.type}) failed: ${rootCause.reason}`
      : `Stack ${stackName} failed without a failed resource event.`,
    ...diagnostics.filter((line) => !rolledBack.includes(line)),
    `Stack ${stackName} is ${status}.`,
  ];
  return new DeployError(lines.join('\n'), status, rootCause, diagnostics);
}

async function cancel(clients: DeployClients, reporter: Reporter, operation: Operation): Promise<CancelledError> {
  if (operation.kind !== 'update') {
    const message =
      operation.kind === 'create'
        ? `Cancelled. Stack ${operation.stackName} is still being created: CancelUpdateStack only applies to updates, so CloudFormation finishes or rolls back the create on its own.`
        : `Cancelled. The delete of stack ${operation.stackName} cannot be cancelled and goes on in CloudFormation.`;
    reporter.warning(message);
    return new CancelledError(message);
  }
  try {
    // Not through the Waiter, and past the run's signal: it refuses calls once the run is cancelled.
    await clients.cloudFormation.send(new CancelUpdateStackCommand({ StackName: operation.stackId }), {
      abortSignal: outlivesRun(CANCEL_CALL_MS),
    });
    const message = `Cancelled. Called CancelUpdateStack: CloudFormation rolls stack ${operation.stackName} back to its previous state.`;
    reporter.warning(message);
    return new CancelledError(message);
  } catch (error) {
    const message = `Cancelled, but CancelUpdateStack on stack ${operation.stackName} failed: ${(error as Error).message}`;
    reporter.warning(message);
    return new CancelledError(message);
  }
}
