// Change sets: create one, wait until CloudFormation has computed it, read all its changes,
// and recognise (and delete) the empty ones.
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
  type ResourceChange,
} from '@aws-sdk/client-cloudformation';
import type { TemplateSource } from './template-source.js';
import type { Waiter } from './wait.js';

export interface ChangeSetInput {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  template: TemplateSource;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  capabilities: string[];
  roleArn?: string;
}

export type ComputedChangeSet = { kind: 'changes'; changes: ResourceChange[] } | { kind: 'empty'; reason: string };

export async function createChangeSet(
  cfn: CloudFormationClient,
  waiter: Waiter,
  input: ChangeSetInput,
): Promise<{ changeSetId: string; stackId: string }> {
  const output = await waiter.write('the change set to be created', () =>
    cfn.send(
      new CreateChangeSetCommand({
        StackName: input.stackName,
        ChangeSetName: input.changeSetName,
        ChangeSetType: input.type,
        ...input.template,
        Parameters: Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
        Capabilities: input.capabilities as CreateChangeSetCommand['input']['Capabilities'],
        RoleARN: input.roleArn,
        ClientToken: input.changeSetName,
        Description: 'Created by private-fargate-api',
      }),
    ),
  );
  return { changeSetId: output.Id!, stackId: output.StackId! };
}

/** CloudFormation's two ways of saying a change set has nothing to do. */
export function isEmptyChangeSetReason(reason: string | undefined): boolean {
  return /didn't contain changes|No updates are to be performed/i.test(reason ?? '');
}

/** Waits until the change set is computed, then returns every change (all pages) or why it is empty. */
export async function waitForChangeSet(
  cfn: CloudFormationClient,
  waiter: Waiter,
  changeSetId: string,
): Promise<ComputedChangeSet> {
  const first = await waiter.until('the change set to be ready', async () => {
    const page = await describe(cfn, changeSetId);
    const computing = page.Status === 'CREATE_PENDING' || page.Status === 'CREATE_IN_PROGRESS';
    // Computed but not yet executable happens briefly; ExecuteChangeSet would refuse it.
    const notYetExecutable = page.Status === 'CREATE_COMPLETE' && page.ExecutionStatus === 'UNAVAILABLE';
    return computing || notYetExecutable ? undefined : page;
  });
  if (first.Status === 'FAILED') {
    if (isEmptyChangeSetReason(first.StatusReason)) return { kind: 'empty', reason: first.StatusReason! };
    throw new Error(`The change set failed: ${first.StatusReason ?? 'no reason given'}`);
  }
  const changes = (first.Changes ?? []).map((c) => c.ResourceChange).filter((c) => c !== undefined);
  for (let token = first.NextToken; token;) {
    const page = await waiter.call('the change set', () => describe(cfn, changeSetId, token));
    changes.push(...(page.Changes ?? []).map((c) => c.ResourceChange).filter((c) => c !== undefined));
    token = page.NextToken;
  }
  return { kind: 'changes', changes };
}

function describe(
  cfn: CloudFormationClient,
  changeSetId: string,
  nextToken?: string,
): Promise<DescribeChangeSetCommandOutput> {
  return cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, NextToken: nextToken }));
}

export async function deleteChangeSet(cfn: CloudFormationClient, waiter: Waiter, changeSetId: string): Promise<void> {
  await waiter.call('the change set to be deleted', () =>
    cfn.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId })),
  );
}
