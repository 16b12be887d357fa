// The CloudFormation API over the stacks and change sets this fake keeps: the checks AWS makes
// (with its error codes and messages) and the operations that start scripted timelines.
import { isDeepStrictEqual } from 'node:util';
import { ChangeSet, NO_CHANGES_REASON, type ChangeSetRequest } from './change-set.js';
import { computeChanges, creationOrder } from './changes.js';
import { AwsError, validationError } from './errors.js';
import {
  NESTED_FAILING_RESOURCE,
  rollbackUpdate,
  scheduleDeletes,
  scheduleResources,
  type ExecutionSettings,
  type Work,
} from './execution.js';
import type { Account } from './physical-ids.js';
import { isKnownType } from './replacement.js';
import { Stack } from './stack.js';
import {
  activeResources,
  checkCapabilities,
  parseTemplate,
  resolveParameters,
  type ParameterInput,
} from './template.js';

export interface CloudFormationSettings extends Omit<
  ExecutionSettings,
  'onResourceCreated' | 'nestedStack' | 'nestedStackDeleted'
> {
  changeSetReadyMs: number;
}

export interface CloudFormationHooks {
  onResourceCreated(stack: Stack, logicalId: string, at: number): void;
  onStackDeleted(stack: Stack): void;
  /** Reads a TemplateURL (the fake S3, or any http URL). */
  readTemplateUrl(url: string): Promise<string>;
}

const NOT_UPDATABLE =
  /(_IN_PROGRESS|^ROLLBACK_COMPLETE|^ROLLBACK_FAILED|^CREATE_FAILED|^DELETE_FAILED|^UPDATE_ROLLBACK_FAILED)$/;

export class CloudFormation {
  readonly stacks: Stack[] = [];
  readonly changeSets: ChangeSet[] = [];

  constructor(
    readonly account: Account,
    private readonly settings: () => CloudFormationSettings,
    private readonly hooks: CloudFormationHooks,
    private readonly clock: () => number,
  ) {}

  /** Applies every step that is due; stacks created by a step (nested ones) are advanced too. */
  advance(now: number): void {
    while (this.stacks.some((stack) => stack.advance(now)));
  }

  /** A stack by name (live only) or by id (also deleted ones), as CloudFormation looks them up. */
  findStack(nameOrId: string): Stack | undefined {
    if (nameOrId.startsWith('arn:')) return this.stacks.find((stack) => stack.id === nameOrId);
    return this.stacks.find((stack) => stack.name === nameOrId && stack.live);
  }

  requireStack(nameOrId: string): Stack {
    const stack = this.findStack(nameOrId);
    if (!stack) throw validationError(`Stack with id ${nameOrId} does not exist`);
    return stack;
  }

  findChangeSet(nameOrId: string, stackName?: string): ChangeSet {
    const found = nameOrId.startsWith('arn:')
      ? this.changeSets.find((cs) => cs.id === nameOrId && !cs.deleted)
      : this.changeSets.find(
          (cs) =>
            cs.name === nameOrId &&
            !cs.deleted &&
            stackName !== undefined &&
            (cs.stack.name === stackName || cs.stack.id === stackName),
        );
    if (!found) throw new AwsError('ChangeSetNotFound', `ChangeSet [${nameOrId}] does not exist`, 404);
    return found;
  }

  async createChangeSet(
    input: {
      StackName: string;
      ChangeSetName: string;
      ChangeSetType?: string;
      TemplateBody?: string;
      TemplateURL?: string;
      UsePreviousTemplate?: boolean;
      Parameters?: ParameterInput[];
      Tags?: { Key: string; Value: string }[];
      Capabilities?: string[];
      RoleARN?: string;
      Description?: string;
      ClientToken?: string;
    },
    now: number,
  ): Promise<ChangeSet> {
    const type = input.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
    let stack = this.findStack(input.StackName);
    if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') {
      throw new AwsError(
        'AlreadyExistsException',
        `Stack [${input.StackName}] already exists and cannot be created again with the changeSet [${input.ChangeSetName}].`,
      );
    }
    if (type === 'UPDATE' && (!stack || stack.status === 'REVIEW_IN_PROGRESS'))
      throw validationError(`Stack [${input.StackName}] does not exist`);
    if (stack && type === 'UPDATE' && NOT_UPDATABLE.test(stack.status)) {
      throw validationError(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
    }
    const same =
      stack && this.changeSets.find((cs) => cs.stack === stack && cs.name === input.ChangeSetName && !cs.deleted);
    if (same) {
      // A retry with the same ClientToken (its answer was lost) gets the change set it created.
      if (input.ClientToken && same.clientToken === input.ClientToken) return same;
      throw new AwsError('AlreadyExistsException', `ChangeSet ${input.ChangeSetName} already exists`);
    }
    const templateBody =
      input.TemplateBody ??
      (input.TemplateURL ? await this.hooks.readTemplateUrl(input.TemplateURL) : undefined) ??
      (input.UsePreviousTemplate ? stack?.templateBody : undefined);
    if (!templateBody) throw validationError('Either Template URL or Template Body must be specified.');
    const template = parseTemplate(templateBody);
    const previous = type === 'UPDATE' ? stack : undefined;
    const request: ChangeSetRequest = {
      name: input.ChangeSetName,
      type,
      description: input.Description,
      template,
      templateBody,
      parameters: resolveParameters(
        template,
        // An empty list goes over the wire as `Parameters=`, which parses as ''.
        Array.isArray(input.Parameters) ? input.Parameters : [],
        previous?.parameters,
      ),
      tags: input.Tags ?? previous?.tags ?? [],
      capabilities: input.Capabilities ?? [],
      roleArn: input.RoleARN ?? previous?.roleArn,
      clientToken: input.ClientToken,
    };
    checkCapabilities(template, request.capabilities);
    if (!stack) {
      stack = new Stack(input.StackName, this.account, now);
      stack.setStatus(now, 'REVIEW_IN_PROGRESS', 'User Initiated');
      this.stacks.push(stack);
    }
    const after = {
      resources: activeResources(template, stack.context(request.parameters, template).conditions!),
      parameters: request.parameters,
    };
    const before = previous?.template
      ? {
          resources: activeResources(previous.template, previous.context().conditions!),
          parameters: previous.parameters,
        }
      : { resources: [], parameters: {} };
    const physicalIds = Object.fromEntries([...stack.resources].map(([id, r]) => [id, r.physicalId]));
    const changes = computeChanges(before, after, physicalIds);
    const unknown = [
      ...new Set(
        Object.values(template.Resources)
          .map((r) => r.Type)
          .filter((t) => !isKnownType(t)),
      ),
    ];
    const unchanged =
      previous &&
      changes.length === 0 &&
      isDeepStrictEqual(previous.template, template) &&
      isDeepStrictEqual(previous.parameters, request.parameters) &&
      isDeepStrictEqual(previous.tags, request.tags);
    const failure = unknown.length
      ? `Template format error: Unrecognized resource types: [${unknown.join(', ')}]`
      : unchanged
        ? NO_CHANGES_REASON
        : undefined;
    // The change set exists once evaluated (a large template takes a moment).
    const createdAt = Math.max(now, this.clock());
    const changeSet = new ChangeSet(
      request,
      stack,
      changes,
      createdAt,
      createdAt + this.settings().changeSetReadyMs,
      failure,
      this.account,
    );
    this.changeSets.push(changeSet);
    return changeSet;
  }

  executeChangeSet(
    changeSet: ChangeSet,
    now: number,
    overrides: Partial<CloudFormationSettings> = {},
    clientRequestToken?: string,
  ): void {
    const executionStatus = changeSet.executionStatus(now);
    if (executionStatus !== 'AVAILABLE') {
      throw new AwsError(
        'InvalidChangeSetStatus',
        `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${executionStatus}]`,
      );
    }
    const { stack, request } = changeSet;
    const creating = request.type === 'CREATE';
    stack.takeSnapshot();
    Object.assign(stack, {
      template: request.template,
      templateBody: request.templateBody,
      parameters: request.parameters,
      tags: request.tags,
      capabilities: request.capabilities,
      roleArn: request.roleArn,
      changeSetId: changeSet.id,
    });
    for (const other of this.changeSets) if (other.stack === stack && other !== changeSet) other.deleted = true;
    stack.operations.push({ kind: creating ? 'CREATE' : 'UPDATE', startedAt: now, clientRequestToken });
    changeSet.operation = stack.operation;
    const settings = this.executionSettings(overrides);
    const order = creationOrder(Object.entries(request.template.Resources)).map(([id]) => id);
    const touched = changeSet.changes
      .filter((change) => change.Action !== 'Remove')
      .sort((a, b) => order.indexOf(a.LogicalResourceId) - order.indexOf(b.LogicalResourceId));
    const works: Work[] = touched.map((change) => ({
      logicalId: change.LogicalResourceId,
      type: change.ResourceType,
      action: change.Action,
      replacement: change.Replacement === 'True',
      properties: request.template.Resources[change.LogicalResourceId].Properties ?? {},
    }));
    stack.setStatus(now, creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS', 'User Initiated');
    const end = scheduleResources(stack, works, now, settings, !creating);
    if (end === null) return;
    if (creating) {
      stack.schedule(end, () => stack.setStatus(end, 'CREATE_COMPLETE'));
      return;
    }
    stack.schedule(end, () => {
      stack.setStatus(end, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      const before = stack.snapshot!.resources;
      const removed = changeSet.changes
        .filter((c) => c.Action === 'Remove')
        .map((c) => before.get(c.LogicalResourceId)!);
      const replaced = [...before.values()].filter(
        (r) => stack.resources.has(r.logicalId) && stack.resources.get(r.logicalId)!.physicalId !== r.physicalId,
      );
      const done = scheduleDeletes(stack, [...replaced, ...removed].reverse(), end, settings.stepMs / 2, settings);
      stack.schedule(done, () => stack.setStatus(done, 'UPDATE_COMPLETE'));
    });
  }

  deleteStack(stackName: string, now: number, clientRequestToken?: string): void {
    const stack = this.findStack(stackName);
    if (!stack || stack.status === 'DELETE_IN_PROGRESS' || !stack.live) return;
    if (stack.terminationProtection)
      throw validationError(`Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`);
    if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
      throw validationError(`Stack [${stack.name}] is in ${stack.status} state and can not be deleted.`);
    }
    stack.clearPending();
    stack.operations.push({ kind: 'DELETE', startedAt: now, clientRequestToken });
    stack.setStatus(now, 'DELETE_IN_PROGRESS', 'User Initiated');
    const order = stack.template ? creationOrder(Object.entries(stack.template.Resources)).map(([id]) => id) : [];
    const targets = [...stack.resources.values()].sort(
      (a, b) => order.indexOf(b.logicalId) - order.indexOf(a.logicalId),
    );
    const end = scheduleDeletes(stack, targets, now, this.settings().stepMs, this.executionSettings());
    stack.schedule(end, () => {
      stack.setStatus(end, 'DELETE_COMPLETE');
      for (const cs of this.changeSets) if (cs.stack === stack) cs.deleted = true;
      this.hooks.onStackDeleted(stack);
    });
  }

  cancelUpdate(stackName: string, now: number, clientRequestToken?: string): void {
    const stack = this.requireStack(stackName);
    if (stack.status !== 'UPDATE_IN_PROGRESS')
      throw validationError('CancelUpdateStack cannot be called from current stack status');
    // The rollback's events carry the cancel's token, as CloudFormation's do.
    if (stack.operation && clientRequestToken) stack.operation.clientRequestToken = clientRequestToken;
    stack.clearPending();
    for (const resource of stack.resources.values()) {
      if (resource.status === 'UPDATE_IN_PROGRESS')
        stack.setResourceStatus(now, resource.logicalId, resource.type, 'UPDATE_FAILED', 'Resource update cancelled');
      if (resource.status === 'CREATE_IN_PROGRESS')
        stack.setResourceStatus(now, resource.logicalId, resource.type, 'CREATE_FAILED', 'Resource creation cancelled');
    }
    rollbackUpdate(stack, now, 'Stack update cancelled', this.executionSettings());
  }

  /** Retries a rollback that failed (UPDATE_ROLLBACK_FAILED): this time it completes. */
  continueUpdateRollback(stackName: string, now: number, clientRequestToken?: string): void {
    const stack = this.requireStack(stackName);
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED')
      throw validationError('ContinueUpdateRollback cannot be called from current stack status');
    stack.operations.push({ kind: 'CONTINUE_ROLLBACK', startedAt: now, clientRequestToken });
    stack.setStatus(now, 'UPDATE_ROLLBACK_IN_PROGRESS', 'Continue Rollback');
    const step = this.settings().stepMs;
    stack.schedule(now + step, () => stack.setStatus(now + step, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'));
    stack.schedule(now + 2 * step, () => stack.setStatus(now + 2 * step, 'UPDATE_ROLLBACK_COMPLETE'));
  }

  executionSettings(overrides: Partial<CloudFormationSettings> = {}): ExecutionSettings {
    return {
      ...this.settings(),
      ...overrides,
      onResourceCreated: (stack, logicalId, at) => this.hooks.onResourceCreated(stack, logicalId, at),
      nestedStack: (parent, id, at, duration, failure) => this.createNestedStack(parent, id, at, duration, failure),
      nestedStackDeleted: (id, begin, end) => {
        const nested = this.findStack(id);
        if (!nested?.live) return;
        nested.schedule(begin, () => nested.setStatus(begin, 'DELETE_IN_PROGRESS'));
        nested.schedule(end, () => nested.setStatus(end, 'DELETE_COMPLETE'));
      },
    };
  }

  /** A nested stack runs inside its parent resource's time; a failing one blames a resource of its own. */
  private createNestedStack(parent: Stack, physicalId: string, at: number, duration: number, failure?: string): void {
    const nested = new Stack(physicalId.split('/')[1], this.account, at, physicalId);
    nested.parentId = parent.id;
    nested.operations.push({ kind: 'CREATE', startedAt: at });
    nested.setStatus(at, 'CREATE_IN_PROGRESS', 'User Initiated');
    this.stacks.push(nested);
    const end = at + Math.min(duration, 3_600_000) * 0.8;
    if (!failure) {
      nested.schedule(end, () => nested.setStatus(end, 'CREATE_COMPLETE'));
      return;
    }
    const { logicalId, type } = NESTED_FAILING_RESOURCE;
    const begin = at + (end - at) / 4;
    nested.schedule(begin, () => nested.setResourceStatus(begin, logicalId, type, 'CREATE_IN_PROGRESS'));
    nested.schedule(end, () => {
      nested.setResourceStatus(end, logicalId, type, 'CREATE_FAILED', failure);
      nested.setStatus(end, 'CREATE_FAILED', `The following resource(s) failed to create: [${logicalId}]. `);
    });
  }
}
