// Reading a stack: its description (or its absence), its outputs, and waiting out another run.
import { randomBytes } from 'node:crypto';
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import type { Reporter } from '../reporter.js';
import { nextStep } from './stack-state.js';
import type { Clock, Waiter } from './wait.js';

/** A DescribeStacks answer and when it was read (clock time): the stack, or undefined when there was none. */
export interface StackRead {
  stack: Stack | undefined;
  readAt: number;
}

/** How old a read may be and still stand in for a new one: the moment between a review and its change set. */
export const FRESH_READ_MS = 5000;

/** The stack, or undefined when there is none (DescribeStacks by name never returns deleted stacks). */
export async function describeStack(
  cfn: CloudFormationClient,
  waiter: Waiter,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const output = await waiter.call(`DescribeStacks of stack ${stackName}`, () =>
      cfn.send(new DescribeStacksCommand({ StackName: stackName })),
    );
    const stack = output.Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

export function outputsOf(stack: Stack | undefined): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of stack?.Outputs ?? []) {
    if (output.OutputKey) outputs[output.OutputKey] = output.OutputValue ?? '';
  }
  return outputs;
}

/** While another run's operation is in progress, waits for it (within the timeout); returns the stack after it. */
export async function waitWhileBusy(
  cfn: CloudFormationClient,
  waiter: Waiter,
  reporter: Reporter,
  stackName: string,
  stack: Stack | undefined,
): Promise<Stack | undefined> {
  const busy = (s: Stack | undefined) =>
    s !== undefined && nextStep(stackName, s.StackStatus, { deleteFailedStack: false }).kind === 'wait';
  if (!busy(stack)) return stack;
  reporter.info(`Stack ${stackName} is ${stack!.StackStatus}: another operation is running. Waiting for it to finish…`);
  const started = waiter.clock.now();
  const after = await waiter.until(
    `the other operation on stack ${stackName} (${stack!.StackStatus}) to finish`,
    async () => {
      const current = await describeStack(cfn, waiter, stackName);
      return busy(current) ? undefined : { current };
    },
  );
  const status = after.current?.StackStatus ?? 'deleted';
  reporter.info(`Stack ${stackName} is ${status} after ${formatDuration(waiter.clock.now() - started)}; going on.`);
  return after.current;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/**
 * A name for one operation of this tool, `pfa-<kind>-<UTC time>-<random>`: change sets (IAM tells
 * `pfa-deploy-*` from `pfa-plan-*`) and the ClientRequestToken of a delete.
 */
export function operationName(kind: string, clock: Clock): string {
  return `pfa-${kind}-${new Date(clock.now()).toISOString().replace(/\D/g, '')}-${randomBytes(3).toString('hex')}`;
}
