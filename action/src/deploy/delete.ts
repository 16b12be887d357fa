// Deleting a stack: the delete mode (preview environments) and the recreate of a failed first create.
import { DeleteStackCommand, UpdateTerminationProtectionCommand, type Stack } from '@aws-sdk/client-cloudformation';
import type { Reporter } from '../reporter.js';
import { waiterFor, type DeployClients } from './clients.js';
import type { Waiter } from './wait.js';
import { DeployError, runOperation } from './operation.js';
import { describeStack, operationName, waitWhileBusy } from './stack.js';

export interface DeleteRequest {
  stackName: string;
  timeoutMinutes: number;
  /** CloudFormation execution role, passed as RoleARN. */
  roleArn?: string;
  signal?: AbortSignal;
}

export async function deleteStack(
  clients: DeployClients,
  request: DeleteRequest,
  reporter: Reporter,
): Promise<{ deleted: boolean; status?: string }> {
  const cfn = clients.cloudFormation;
  const waiter = waiterFor(clients, request.timeoutMinutes, reporter, request.signal);
  return reporter.group(`Deleting stack ${request.stackName}`, async () => {
    const stack = await waitWhileBusy(
      cfn,
      waiter,
      reporter,
      request.stackName,
      await describeStack(cfn, waiter, request.stackName),
    );
    if (!stack) {
      reporter.info(`Stack ${request.stackName} does not exist; nothing to delete.`);
      return { deleted: false };
    }
    const status = await removeStack(clients, waiter, reporter, stack, request.roleArn, false);
    return { deleted: true, status };
  });
}

/** Deletes the stack and follows it to DELETE_COMPLETE; liftProtection turns termination protection off first. */
export async function removeStack(
  clients: DeployClients,
  waiter: Waiter,
  reporter: Reporter,
  stack: Stack,
  roleArn: string | undefined,
  liftProtection: boolean,
): Promise<string> {
  const cfn = clients.cloudFormation;
  const stackName = stack.StackName!;
  if (stack.EnableTerminationProtection) {
    if (!liftProtection) {
      throw new DeployError(
        `Stack ${stackName} has termination protection on: turn it off first (aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${stackName}).`,
        stack.StackStatus,
      );
    }
    // A failed first create holds nothing worth protecting, and cannot be anything but deleted.
    await waiter.call('termination protection', () =>
      cfn.send(
        new UpdateTerminationProtectionCommand({ StackName: stack.StackId, EnableTerminationProtection: false }),
      ),
    );
    reporter.info(`Turned off termination protection of ${stackName} (${stack.StackStatus}) to delete it.`);
  }
  const clientRequestToken = operationName('delete', clients.clock);
  return runOperation(clients, waiter, reporter, {
    kind: 'delete',
    stackId: stack.StackId!,
    stackName,
    clientRequestToken,
    start: () =>
      cfn.send(
        new DeleteStackCommand({ StackName: stack.StackId, RoleARN: roleArn, ClientRequestToken: clientRequestToken }),
      ),
  });
}
