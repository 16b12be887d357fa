// Before `delete` sends anything: the stack must be one this tool made (its template's
// Description carries the mark the renderer writes), and a person at a terminal types its name
// to confirm, as `copilot app delete` and `cdk destroy` ask; scripts pass --yes.
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { PROGRAM, UsageError, type CliIO } from './command.js';

/** What render/index.ts puts at the end of every stack template's Description. */
export const OWNER_MARK = `(${PROGRAM})`;

/** Why this tool must not delete the stack, or undefined when it made it. */
export function notOurs(stack: Stack, project: string): string | undefined {
  if (stack.Description?.includes(OWNER_MARK)) return undefined;
  // A first create whose change set never ran has no template yet, only the tags we gave it.
  const tagged = stack.Tags?.some((tag) => tag.Key === 'Project' && tag.Value === project);
  if (stack.StackStatus === 'REVIEW_IN_PROGRESS' && tagged) return undefined;
  const description = stack.Description
    ? `its description is "${stack.Description.slice(0, 80)}"`
    : 'it has no description';
  return `stack ${stack.StackName} was not created by ${PROGRAM} (${description}, without "${OWNER_MARK}"); delete it with the tool that made it`;
}

async function findStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * True when the delete may go ahead (or there is nothing to delete); false when the person did
 * not confirm. Throws when the stack is not ours, or when no one can confirm and --yes is missing.
 */
export async function confirmDelete(
  cfn: CloudFormationClient,
  stackName: string,
  project: string,
  region: string,
  yes: boolean,
  io: CliIO,
): Promise<boolean> {
  const stack = await findStack(cfn, stackName);
  if (!stack) return true;
  const refusal = notOurs(stack, project);
  if (refusal) throw new Error(refusal);
  if (yes) return true;
  if (!io.ask)
    throw new UsageError(`not in a terminal, so no one can confirm: pass --yes to delete stack ${stackName}`);
  const answer = await io.ask(
    `Delete stack ${stackName} (${stack.StackStatus}) in ${region}? Its resources go; the ECR repository and retained tables stay.\nType the stack name to confirm: `,
  );
  if (answer.trim() === stackName) return true;
  io.stderr(`Not deleted: "${answer.trim()}" is not ${stackName}.\n`);
  return false;
}
