// Runs one stack operation (execute a change set, delete a stack) and follows it to the end.
// A failure leads with its root cause and what ECS knows; a timeout says what was still
// running; a cancelled update is cancelled in CloudFormation too.
import { CancelUpdateStackCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { Reporter } from '../reporter.js';
import type { DeployClients } from './clients.js';
import { StackFollower } from './follow.js';
import { isSuccess } from './stack-state.js';
import { formatDuration } from './stack.js';
import { CancelledError, TimeoutError, type Waiter } from './wait.js';

export interface RootCause {
  logicalId: string;
  type: string;
  reason: string;
}

/** A failed stack operation. The message leads with the root cause, then the ECS diagnostics. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(
    message: string,
    readonly status?: string,
    readonly rootCause?: RootCause,
    readonly diagnostics: string[] = [],
  ) {
    super(message);
  }
}

export interface Operation {
  kind: 'create' | 'update' | 'delete';
  stackId: string;
  stackName: string;
  /** Starts the operation in CloudFormation (ExecuteChangeSet, DeleteStack). */
  start: () => Promise<unknown>;
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

  const follower = new StackFollower(clients.cloudFormation, waiter, reporter, operation.stackId, async (event) => {
    // Right away: a rollback deletes a new service, and its stopped tasks with it.
    if (event.ResourceType === 'AWS::ECS::Service' && event.PhysicalResourceId?.startsWith('arn:')) {
      await diagnose(event.PhysicalResourceId);
    }
  });
  const started = waiter.clock.now();
  await follower.markExisting();
  await waiter.write(`stack ${operation.stackName} to start`, operation.start);

  let status: string;
  try {
    status = await follower.follow();
  } catch (error) {
    if (error instanceof CancelledError) throw await cancel(clients, reporter, operation);
    if (error instanceof TimeoutError) {
      for (const [arn, service] of follower.ecsServices) {
        if (service.status.endsWith('_IN_PROGRESS')) await diagnose(arn);
      }
      const running = [...follower.ecsServices.values()].filter((s) => s.status.endsWith('_IN_PROGRESS'));
      const still =
        running.length > 0 ? ` ${running.map((s) => `${s.logicalId} is still ${s.status}`).join('; ')}.` : '';
      throw new DeployError([`${error.message}${still}`, ...diagnostics].join('\n'), undefined, undefined, diagnostics);
    }
    throw error;
  }
  const took = formatDuration(waiter.clock.now() - started);
  if (isSuccess(status)) {
    reporter.info(`Stack ${operation.stackName} is ${status} (${took}).`);
    return status;
  }
  throw failure(operation.stackName, status, follower.rootCause(), diagnostics);
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
  const lines = [
    rootCause
      ? `Resource ${rootCause.logicalId} (${rootCause.type}) failed: ${rootCause.reason}`
      : `Stack ${stackName} failed without a failed resource event.`,
    ...diagnostics,
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
    // Not through the Waiter: it refuses to start calls once the run is cancelled.
    await clients.cloudFormation.send(new CancelUpdateStackCommand({ StackName: operation.stackId }));
    const message = `Cancelled. Called CancelUpdateStack: CloudFormation rolls stack ${operation.stackName} back to its previous state.`;
    reporter.warning(message);
    return new CancelledError(message);
  } catch (error) {
    const message = `Cancelled, but CancelUpdateStack on stack ${operation.stackName} failed: ${(error as Error).message}`;
    reporter.warning(message);
    return new CancelledError(message);
  }
}
