// CloudFormation actions as the query protocol carries them: request fields in, result shapes
// out (the members of `<XResult>`), pages and NextTokens included.
import type { ChangeSet } from './change-set.js';
import type { CloudFormation } from './cloudformation.js';
import { DRIFT_ACTIONS, driftAction, type DriftScript } from './drift.js';
import { AwsError, validationError } from './errors.js';
import type { QueryValue, XmlValue } from './query-protocol.js';
import type { Stack } from './stack.js';
import { parseTemplate } from './template.js';

export interface Paging {
  changeSetPageSize: number;
  eventsPageSize: number;
  /** Scripted drift (the scenario's `drift`). */
  drift?: DriftScript | null;
}

type Input = Record<string, QueryValue>;
type Result = Record<string, XmlValue>;

const str = (input: Input, key: string): string | undefined =>
  typeof input[key] === 'string' ? input[key] : undefined;
const required = (input: Input, key: string): string => {
  const value = str(input, key);
  if (value === undefined)
    throw validationError(
      `1 validation error detected: Value null at '${key[0].toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
};

const NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

/** The request checks AWS makes before looking at any state ("1 validation error detected: …"). */
function checkConstraints(input: Input): void {
  const violation = (member: string, constraint: string, value?: string) =>
    validationError(
      `1 validation error detected: Value ${value === undefined ? '' : `'${value}' `}at '${member}' failed to satisfy constraint: ${constraint}`,
    );
  const stackName = str(input, 'StackName') ?? '';
  if (!NAME.test(stackName) && !stackName.startsWith('arn:'))
    throw violation(
      'stackName',
      `Member must satisfy regular expression pattern: ${NAME.source.slice(1, -1)}`,
      stackName,
    );
  for (const [key, member] of [['ChangeSetName', 'changeSetName']] as const) {
    const value = str(input, key) ?? '';
    if (!NAME.test(value) || value.length > 128)
      throw violation(member, `Member must satisfy regular expression pattern: ${NAME.source.slice(1, -1)}`, value);
  }
  if (Buffer.byteLength(str(input, 'TemplateBody') ?? '') > 51_200)
    throw violation('templateBody', 'Member must have length less than or equal to 51200');
  if ((str(input, 'Description') ?? '').length > 1024)
    throw violation('description', 'Member must have length less than or equal to 1024');
}

function page<T>(
  items: T[],
  token: string | undefined,
  size: number,
  key: (item: T) => string,
): { items: T[]; next?: string } {
  const start = token ? items.findIndex((item) => key(item) === token) + 1 : 0;
  if (token && start === 0) throw validationError('Invalid NextToken');
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? key(slice.at(-1)!) : undefined };
}

function stackView(stack: Stack, rewriteUrl: (value: string) => string): Result {
  const noEcho = new Set(
    Object.entries(stack.template?.Parameters ?? {})
      .filter(([, p]) => String(p.NoEcho) === 'true')
      .map(([k]) => k),
  );
  return {
    StackId: stack.id,
    StackName: stack.name,
    ChangeSetId: stack.changeSetId,
    Description: stack.template?.Description,
    Parameters: Object.entries(stack.parameters).map(([ParameterKey, value]) => ({
      ParameterKey,
      ParameterValue: noEcho.has(ParameterKey) ? '****' : value,
    })),
    CreationTime: new Date(stack.createdAt),
    LastUpdatedTime: stack.updatedAt ? new Date(stack.updatedAt) : undefined,
    DeletionTime: stack.deletedAt ? new Date(stack.deletedAt) : undefined,
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: stack.capabilities,
    Outputs: stack.outputs().map((output) => ({ ...output, OutputValue: rewriteUrl(output.OutputValue) })),
    RoleARN: stack.roleArn,
    Tags: stack.tags,
    EnableTerminationProtection: stack.terminationProtection,
    ParentId: stack.parentId,
    RootId: stack.parentId,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

function changeSetView(cs: ChangeSet, now: number, token: string | undefined, size: number): Result {
  const ready = cs.isReady(now);
  const changes = page(ready ? cs.changes : [], token, size, (change) => change.LogicalResourceId);
  return {
    ChangeSetName: cs.name,
    ChangeSetId: cs.id,
    StackId: cs.stack.id,
    StackName: cs.stack.name,
    Description: cs.request.description,
    Parameters: Object.entries(cs.request.parameters).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    })),
    CreationTime: new Date(cs.createdAt),
    ExecutionStatus: cs.executionStatus(now),
    Status: cs.status(now),
    StatusReason: ready ? cs.failure : undefined,
    NotificationARNs: [],
    RollbackConfiguration: {},
    Capabilities: cs.request.capabilities,
    Tags: cs.request.tags,
    IncludeNestedStacks: false,
    Changes: changes.items.map((ResourceChange) => ({ Type: 'Resource', ResourceChange })) as unknown as XmlValue[],
    NextToken: changes.next,
  };
}

/** Records the first time a client sees a stack's last operation finished (notice latency). */
function notice(stack: Stack, now: number): void {
  const operation = stack.operation;
  if (operation?.terminalAt !== undefined && operation.noticedAt === undefined) operation.noticedAt = now;
}

export async function cloudFormationAction(
  cfn: CloudFormation,
  action: string,
  input: Input,
  now: number,
  paging: Paging,
  rewriteUrl: (value: string) => string,
): Promise<Result> {
  switch (action) {
    case 'CreateChangeSet': {
      checkConstraints(input);
      const changeSet = await cfn.createChangeSet(
        {
          ...(input as object),
          StackName: required(input, 'StackName'),
          ChangeSetName: required(input, 'ChangeSetName'),
          UsePreviousTemplate: input.UsePreviousTemplate === 'true',
        },
        now,
      );
      return { Id: changeSet.id, StackId: changeSet.stack.id };
    }
    case 'DescribeChangeSet': {
      const changeSet = cfn.findChangeSet(required(input, 'ChangeSetName'), str(input, 'StackName'));
      if (changeSet.isReady(now)) changeSet.noticedAt ??= now;
      return changeSetView(changeSet, now, str(input, 'NextToken'), paging.changeSetPageSize);
    }
    case 'ExecuteChangeSet':
      cfn.executeChangeSet(
        cfn.findChangeSet(required(input, 'ChangeSetName'), str(input, 'StackName')),
        now,
        {},
        str(input, 'ClientRequestToken'),
      );
      return {};
    case 'DeleteChangeSet': {
      const changeSet = cfn.findChangeSet(required(input, 'ChangeSetName'), str(input, 'StackName'));
      if (changeSet.executionStatus(now) === 'EXECUTE_IN_PROGRESS') {
        throw new AwsError(
          'InvalidChangeSetStatus',
          `Cannot delete ChangeSet [${changeSet.id}] while it is in EXECUTE_IN_PROGRESS.`,
        );
      }
      changeSet.deleted = true;
      return {};
    }
    case 'ListChangeSets': {
      const stack = cfn.requireStack(required(input, 'StackName'));
      const summaries = cfn.changeSets
        .filter((cs) => cs.stack === stack && !cs.deleted)
        .map((cs) => ({
          StackId: stack.id,
          StackName: stack.name,
          ChangeSetId: cs.id,
          ChangeSetName: cs.name,
          ExecutionStatus: cs.executionStatus(now),
          Status: cs.status(now),
          StatusReason: cs.isReady(now) ? cs.failure : undefined,
          CreationTime: new Date(cs.createdAt),
          Description: cs.request.description,
        }));
      return { Summaries: summaries };
    }
    case 'DescribeStacks': {
      const name = str(input, 'StackName');
      const stacks = name ? [cfn.requireStack(name)] : cfn.stacks.filter((stack) => stack.live);
      stacks.forEach((stack) => notice(stack, now));
      return { Stacks: stacks.map((stack) => stackView(stack, rewriteUrl)) };
    }
    case 'DescribeStackEvents': {
      const stack = cfn.requireStack(required(input, 'StackName'));
      notice(stack, now);
      const events = page(
        [...stack.events].reverse(),
        str(input, 'NextToken'),
        paging.eventsPageSize,
        (event) => event.EventId,
      );
      return { StackEvents: events.items as unknown as XmlValue[], NextToken: events.next };
    }
    case 'DescribeStackResources': {
      const stack = cfn.requireStack(required(input, 'StackName'));
      const logicalId = str(input, 'LogicalResourceId');
      const resources = [...stack.resources.values()]
        .filter((r) => logicalId === undefined || r.logicalId === logicalId)
        .map((r) => ({
          StackName: stack.name,
          StackId: stack.id,
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          Timestamp: new Date(stack.updatedAt ?? stack.createdAt),
          ResourceStatus: r.status,
        }));
      return { StackResources: resources };
    }
    case 'GetTemplate': {
      const changeSetName = str(input, 'ChangeSetName');
      if (changeSetName)
        return {
          TemplateBody: cfn.findChangeSet(changeSetName, str(input, 'StackName')).request.templateBody,
          StagesAvailable: ['Original', 'Processed'],
        };
      return {
        TemplateBody: cfn.requireStack(required(input, 'StackName')).templateBody,
        StagesAvailable: ['Original', 'Processed'],
      };
    }
    case 'DeleteStack':
      cfn.deleteStack(required(input, 'StackName'), now, str(input, 'ClientRequestToken'));
      return {};
    case 'ContinueUpdateRollback':
      cfn.continueUpdateRollback(required(input, 'StackName'), now, str(input, 'ClientRequestToken'));
      return {};
    case 'CancelUpdateStack':
      cfn.cancelUpdate(required(input, 'StackName'), now, str(input, 'ClientRequestToken'));
      return {};
    case 'UpdateTerminationProtection': {
      const stack = cfn.requireStack(required(input, 'StackName'));
      stack.terminationProtection = input.EnableTerminationProtection === 'true';
      return { StackId: stack.id };
    }
    case 'ValidateTemplate': {
      const template = parseTemplate(required(input, 'TemplateBody'));
      const iam = Object.values(template.Resources).some((r) => r.Type.startsWith('AWS::IAM::'));
      return {
        Description: template.Description,
        Parameters: Object.entries(template.Parameters ?? {}).map(([ParameterKey, p]) => ({
          ParameterKey,
          DefaultValue: p.Default === undefined ? undefined : String(p.Default),
          NoEcho: String(p.NoEcho) === 'true',
        })),
        Capabilities: iam ? ['CAPABILITY_IAM'] : undefined,
        CapabilitiesReason: iam ? 'The following resource(s) require capabilities: [AWS::IAM::Role]' : undefined,
      };
    }
    default:
      if (DRIFT_ACTIONS.includes(action)) return driftAction(cfn, action, input, now, paging.drift ?? undefined);
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2010-05-15`);
  }
}
