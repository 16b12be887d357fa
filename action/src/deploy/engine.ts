// The deploy engine's entry point: deploy a stack through a change set (or only plan it).
// Reports through a Reporter (never @actions/core), so the action and the CLI share it.
import {
  DeleteStackCommand,
  ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand,
  type ResourceChange,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { Reporter } from '../reporter.js';
import { changesText } from './changes.js';
import { createChangeSet, deleteChangeSet, waitForChangeSet } from './change-set.js';
import { waiterFor, type DeployClients } from './clients.js';
import { removeStack } from './delete.js';
import { DeployError, runOperation } from './operation.js';
import type { RolloutSummary } from './rollout.js';
import { nextStep } from './stack-state.js';
import {
  describeStack,
  formatDuration,
  FRESH_READ_MS,
  operationName,
  outputsOf,
  waitWhileBusy,
  type StackRead,
} from './stack.js';
import { templateSource } from './template-source.js';
import type { Waiter } from './wait.js';

/** What a change set with changes but no resource changes does (has-changes is true). */
export const STACK_LEVEL_CHANGES =
  'no resource changes; the change set changes only stack-level settings (outputs, parameters or tags).';

export const DEFAULT_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

export interface DeployRequest {
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  /** CloudFormation execution role, passed as RoleARN to every stack operation. */
  roleArn?: string;
  /** Templates over 51,200 bytes are uploaded here and passed as TemplateURL. */
  s3Bucket?: string;
  /** plan: create the change set, show it, delete it, stop. */
  mode: 'deploy' | 'plan';
  timeoutMinutes: number;
  failOnEmptyChangeset: boolean;
  deleteFailedStack: boolean;
  terminationProtection: boolean;
  capabilities?: string[];
  /** Runner cancellation: during an update → CancelUpdateStack. */
  signal?: AbortSignal;
  /** The stack as the caller read it a moment ago; used instead of reading it again when at most FRESH_READ_MS old. */
  lastRead?: StackRead;
  /** Asked with the computed changes before a deploy executes them; false deletes the change set instead. */
  approve?: (changes: ResourceChange[]) => Promise<boolean>;
}

export interface DeployResult {
  stackId?: string;
  /** The change set, when it still exists or was executed (empty and plan change sets are deleted). */
  changeSetId?: string;
  hasChanges: boolean;
  changes: ResourceChange[];
  outputs: Record<string, string>;
  status?: string;
  /** The ECS rollout the deploy followed (strategy, outcome, the lines it printed). */
  rollout?: RolloutSummary;
}

export async function deployStack(
  clients: DeployClients,
  request: DeployRequest,
  reporter: Reporter,
): Promise<DeployResult> {
  const cfn = clients.cloudFormation;
  const { stackName } = request;
  const waiter = waiterFor(clients, request.timeoutMinutes, reporter, request.signal);

  const prepared = await reporter.group(`Change set for stack ${stackName}`, () =>
    prepareChangeSet(clients, waiter, reporter, request),
  );
  if (prepared.kind === 'recreate') return planRecreate(request, prepared.existing, prepared.reason, reporter);
  const { changeSetId, changeSetName, stackId, type, existing, changeSet } = prepared;

  if (changeSet.kind === 'empty') {
    await deleteChangeSet(cfn, waiter, changeSetId);
    reporter.info(`No changes to stack ${stackName} (${changeSet.reason}); deleted the empty change set.`);
    if (request.failOnEmptyChangeset) {
      throw new DeployError(
        `No changes to deploy to stack ${stackName}, and fail-on-empty-changeset is on.`,
        existing?.StackStatus,
      );
    }
    const stack =
      request.mode === 'deploy'
        ? await applyTerminationProtection(clients, waiter, reporter, request, stackId)
        : existing;
    return { stackId, hasChanges: false, changes: [], outputs: outputsOf(stack), status: stack?.StackStatus };
  }

  const { changes } = changeSet;
  // A change set can list no resource and still change the stack (an output, a parameter, a tag):
  // it is executed, so the log must not say "No changes."
  reporter.info(
    changes.length > 0
      ? `Changes to stack ${stackName}:\n${changesText(changes)}`
      : `Stack ${stackName}: ${STACK_LEVEL_CHANGES}`,
  );

  const declined = request.mode === 'deploy' && request.approve !== undefined && !(await request.approve(changes));
  if (request.mode === 'plan' || declined) {
    await deleteChangeSet(cfn, waiter, changeSetId);
    if (type === 'CREATE' && existing === undefined) {
      // The CREATE change set made an empty REVIEW_IN_PROGRESS stack: leave nothing behind, unless
      // the caller is the bootstrap's plan role, which may not delete stacks. The empty stack holds
      // no resources, and the first deploy's CREATE change set uses it.
      await waiter
        .call(`stack ${stackName} to be deleted`, () => cfn.send(new DeleteStackCommand({ StackName: stackId })))
        .catch((error: unknown) => {
          if ((error as { name?: string }).name !== 'AccessDenied') throw error;
          reporter.info(`Left the empty REVIEW_IN_PROGRESS stack ${stackName}: this role may not delete stacks.`);
        });
    }
    reporter.info(
      `${declined ? 'Not approved' : 'Plan only'}: deleted change set ${changeSetName}; nothing was deployed.`,
    );
    return {
      stackId: existing?.StackId,
      hasChanges: true,
      changes,
      outputs: outputsOf(existing),
      status: existing?.StackStatus,
    };
  }

  let rollout: RolloutSummary | undefined;
  const clientRequestToken = `${changeSetName}-execute`;
  const status = await reporter.group(`Deploying stack ${stackName}`, () =>
    runOperation(clients, waiter, reporter, {
      kind: type === 'CREATE' ? 'create' : 'update',
      stackId,
      stackName,
      clientRequestToken,
      start: async () => {
        try {
          return await cfn.send(
            new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, ClientRequestToken: clientRequestToken }),
          );
        } catch (error) {
          return alreadyExecuting(error);
        }
      },
      onRollout: (followed) => (rollout = followed),
    }).catch((error: unknown) => {
      // The failed run's stack and change set, for the step outputs and the summary.
      if (error instanceof DeployError) Object.assign(error, { stackId, changeSetId });
      throw error;
    }),
  );
  const stack = await applyTerminationProtection(clients, waiter, reporter, request, stackId);
  return {
    stackId,
    changeSetId,
    hasChanges: true,
    changes,
    outputs: outputsOf(stack),
    status: stack?.StackStatus ?? status,
    rollout,
  };
}

/**
 * A retried ExecuteChangeSet whose first answer was lost (a reset, a cut-off response) finds the
 * change set already executing. The change set is this run's own, so that is the start it asked for.
 */
function alreadyExecuting(error: unknown): void {
  if (/current execution status of \[EXECUTE_(IN_PROGRESS|COMPLETE)\]/.test((error as Error).message)) return;
  throw error;
}

/** Settles the stack's state, then creates the change set and waits until CloudFormation has computed it. */
async function prepareChangeSet(clients: DeployClients, waiter: Waiter, reporter: Reporter, request: DeployRequest) {
  const { stack: existing, recreate } = await stackToDeployOnto(clients, waiter, reporter, request);
  if (recreate) return { kind: 'recreate' as const, reason: recreate, existing: existing! };
  const type = existing === undefined || existing.StackStatus === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
  const template = await templateSource(clients.s3, waiter, reporter, request);
  // The mode is in the name: IAM lets the deploy role execute only `pfa-deploy-*` change sets, so a
  // change set a pull request's plan left behind can never be executed.
  const changeSetName = operationName(request.mode, clients.clock);
  reporter.info(`Creating change set ${changeSetName} (${type}) for stack ${request.stackName}…`);
  const started = clients.clock.now();
  const created = await createChangeSet(clients.cloudFormation, waiter, {
    stackName: request.stackName,
    changeSetName,
    type,
    template,
    parameters: request.parameters,
    tags: request.tags,
    capabilities: request.capabilities ?? DEFAULT_CAPABILITIES,
    roleArn: request.roleArn,
  });
  const changeSet = await waitForChangeSet(clients.cloudFormation, waiter, created.changeSetId);
  reporter.info(`Change set computed in ${formatDuration(clients.clock.now() - started)}.`);
  return { kind: 'changeSet' as const, ...created, changeSetName, type, existing, changeSet };
}

/** Settles the stack's state: waits for another run, recreates a failed first create, refuses what cannot be deployed. */
async function stackToDeployOnto(
  clients: DeployClients,
  waiter: Waiter,
  reporter: Reporter,
  request: DeployRequest,
): Promise<{ stack?: Stack; recreate?: string }> {
  const cfn = clients.cloudFormation;
  const { lastRead } = request;
  let current = lastRead && clients.clock.now() - lastRead.readAt <= FRESH_READ_MS ? lastRead : undefined;
  for (;;) {
    const described = current ? current.stack : await describeStack(cfn, waiter, request.stackName);
    current = undefined;
    const stack = await waitWhileBusy(cfn, waiter, reporter, request.stackName, described);
    const step = nextStep(request.stackName, stack?.StackStatus, request);
    if (step.kind === 'fail') throw new DeployError(step.message, stack?.StackStatus);
    if (step.kind !== 'recreate') return { stack };
    // A plan changes nothing, so it cannot delete the stack to compute a CREATE change set.
    if (request.mode === 'plan') return { stack, recreate: step.reason };
    reporter.info(`${step.reason} Deleting it first (delete-failed-stack is on).`);
    await removeStack(clients, waiter, reporter, stack!, request.roleArn, true);
  }
}

/** Plan for a stack that a deploy would delete and create again: every resource of the template is added. */
function planRecreate(request: DeployRequest, stack: Stack, reason: string, reporter: Reporter): DeployResult {
  const changes: ResourceChange[] = Object.entries(templateResources(request.templateBody)).map(([id, resource]) => ({
    Action: 'Add',
    LogicalResourceId: id,
    ResourceType: resource.Type,
  }));
  reporter.info(
    `${reason} A deploy deletes it and creates it again (delete-failed-stack is on):\n${changesText(changes)}`,
  );
  return { stackId: stack.StackId, hasChanges: true, changes, outputs: {}, status: stack.StackStatus };
}

function templateResources(templateBody: string): Record<string, { Type?: string }> {
  try {
    return (JSON.parse(templateBody) as { Resources?: Record<string, { Type?: string }> }).Resources ?? {};
  } catch {
    return {}; // a YAML template: the plan shows the recreate without listing its resources
  }
}

/** Termination protection is turned on when asked; it is never turned off behind anyone's back. */
async function applyTerminationProtection(
  clients: DeployClients,
  waiter: Waiter,
  reporter: Reporter,
  request: DeployRequest,
  stackId: string,
): Promise<Stack | undefined> {
  const stack = await describeStack(clients.cloudFormation, waiter, stackId);
  if (request.terminationProtection && stack && !stack.EnableTerminationProtection) {
    await waiter.call('termination protection', () =>
      clients.cloudFormation.send(
        new UpdateTerminationProtectionCommand({ StackName: stackId, EnableTerminationProtection: true }),
      ),
    );
    reporter.info(`Turned on termination protection for stack ${request.stackName}.`);
    return { ...stack, EnableTerminationProtection: true };
  }
  return stack;
}
