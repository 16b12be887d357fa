// How a stack operation unfolds over scripted time: resources one after another, each with the
// events CloudFormation writes, a scripted failure and the rollback it triggers, deletes, cancels.
import { physicalId } from './physical-ids.js';
import type { Stack } from './stack.js';
import { evaluate, type Json } from './template.js';

/** One resource an operation touches, in the order it touches them. */
export interface Work {
  logicalId: string;
  type: string;
  action: 'Add' | 'Modify' | 'Remove';
  replacement?: boolean;
  properties: Record<string, Json>;
}

export interface ExecutionSettings {
  /** How long each resource takes. */
  stepMs: number;
  /** Fail at this resource: 1-based position among the resources the operation touches, or a logical id. */
  failAt?: { resource: number | string; reason: string };
  /** An ECS service whose tasks keep stopping: how long until CloudFormation gives up (null: never). */
  unstableService?: { failAfterMs: number | null; reason: string };
  /** A healthy service's deployment, from its properties: how long it takes, and why it failed (an alarm rollback). */
  serviceRollout?(properties: Record<string, Json>): { failAfterMs: number; reason?: string } | undefined;
  /** Called when a resource gets its physical id (ECS services start, nested stacks appear). */
  onResourceCreated(stack: Stack, logicalId: string, at: number): void;
  /** Creates the nested stack behind an AWS::CloudFormation::Stack resource; it ends within `durationMs`, failing with `failure` if given. */
  nestedStack(parent: Stack, physicalId: string, at: number, durationMs: number, failure?: string): void;
  /** Deletes a nested stack along with its parent resource. */
  nestedStackDeleted(physicalId: string, begin: number, end: number): void;
}

/** The inner resource a failing nested stack blames. */
export const NESTED_FAILING_RESOURCE = { logicalId: 'Service', type: 'AWS::ECS::Service' };

const INITIATED = 'Resource creation Initiated';
const CANCELLED = 'Resource creation cancelled';

function isFailing(work: Work, index: number, settings: ExecutionSettings): boolean {
  const target = settings.failAt?.resource;
  return target === work.logicalId || target === index + 1;
}

/** Gives the resource its physical id (from its resolved properties) and records the creation. */
function createPhysical(
  stack: Stack,
  work: Work,
  at: number,
  status: string,
  reason: string | undefined,
  settings: ExecutionSettings,
  duration: number,
  failure?: string,
): void {
  const properties = evaluate(work.properties, stack.context()) as Record<string, Json>;
  const id = physicalId(
    work.type,
    work.logicalId,
    stack.name,
    properties,
    stack.account,
    stack.resources.get(work.logicalId)?.physicalId,
  );
  stack.setResourceStatus(at, work.logicalId, work.type, status, reason, id);
  stack.resources.get(work.logicalId)!.properties = properties;
  stack.resources.get(work.logicalId)!.attributes.clear();
  if (work.type === 'AWS::CloudFormation::Stack') settings.nestedStack(stack, id, at, duration, failure);
  settings.onResourceCreated(stack, work.logicalId, at);
}

/** Schedules the resources of a create or an update; returns when the last one ends (or null: never). */
export function scheduleResources(
  stack: Stack,
  works: Work[],
  start: number,
  settings: ExecutionSettings,
  update: boolean,
): number | null {
  let t = start;
  const nudge = Math.min(settings.stepMs / 4, 20);
  for (const [index, work] of works.entries()) {
    const creating = work.action === 'Add';
    const inProgress = creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    const startAt = t;
    const unstable =
      work.type === 'AWS::ECS::Service'
        ? (settings.unstableService ?? settings.serviceRollout?.(work.properties))
        : undefined;
    const duration = unstable ? (unstable.failAfterMs ?? Infinity) : settings.stepMs;
    const failure = unstable?.reason ?? (isFailing(work, index, settings) ? settings.failAt!.reason : undefined);
    const create = (at: number, reason?: string) => () =>
      createPhysical(stack, work, at, inProgress, reason, settings, duration, failure);
    if (creating) {
      stack.schedule(startAt, () => stack.setResourceStatus(startAt, work.logicalId, work.type, inProgress));
      stack.schedule(startAt + nudge, create(startAt + nudge, INITIATED));
    } else if (work.replacement) {
      stack.schedule(
        startAt,
        create(startAt, 'Requested update requires the creation of a new physical resource; hence creating one.'),
      );
    } else {
      stack.schedule(startAt, () => {
        stack.setResourceStatus(startAt, work.logicalId, work.type, inProgress);
        const resource = stack.resources.get(work.logicalId)!;
        resource.properties = evaluate(work.properties, stack.context()) as Record<string, Json>;
        settings.onResourceCreated(stack, work.logicalId, startAt);
      });
    }
    if (duration === Infinity) return null;
    const endAt = t + duration;
    const failed = creating ? 'CREATE_FAILED' : 'UPDATE_FAILED';
    if (failure) {
      const reason = (): string =>
        work.type === 'AWS::CloudFormation::Stack'
          ? `Embedded stack ${stack.resources.get(work.logicalId)?.physicalId} was not successfully created: The following resource(s) failed to create: [${NESTED_FAILING_RESOURCE.logicalId}]. `
          : failure;
      const companion = works[index + 1];
      // CloudFormation works in parallel: the next resource was under way and gets cancelled.
      if (companion?.action === 'Add')
        stack.schedule(startAt, () =>
          stack.setResourceStatus(startAt, companion.logicalId, companion.type, 'CREATE_IN_PROGRESS'),
        );
      stack.schedule(endAt, () => {
        stack.setResourceStatus(endAt, work.logicalId, work.type, failed, reason());
        const failedIds = [work.logicalId];
        if (companion?.action === 'Add') {
          stack.setResourceStatus(endAt, companion.logicalId, companion.type, 'CREATE_FAILED', CANCELLED);
          failedIds.push(companion.logicalId);
        }
        if (update)
          rollbackUpdate(
            stack,
            endAt,
            `The following resource(s) failed to ${creating ? 'create' : 'update'}: [${failedIds.join(', ')}]. `,
            settings,
          );
        else rollbackCreate(stack, endAt, failedIds, settings);
      });
      return null;
    }
    const completed = creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
    stack.schedule(endAt, () => stack.setResourceStatus(endAt, work.logicalId, work.type, completed));
    t = endAt;
  }
  return t;
}

/** Deletes resources one by one, newest first; returns when the last one is gone. */
export function scheduleDeletes(
  stack: Stack,
  targets: { logicalId: string; type: string; physicalId?: string }[],
  start: number,
  stepMs: number,
  settings: Pick<ExecutionSettings, 'nestedStackDeleted'>,
): number {
  let t = start;
  for (const target of targets) {
    const [begin, end] = [t, t + stepMs];
    stack.schedule(begin, () => {
      stack.setResourceStatus(begin, target.logicalId, target.type, 'DELETE_IN_PROGRESS', undefined, target.physicalId);
      if (target.type === 'AWS::CloudFormation::Stack' && target.physicalId)
        settings.nestedStackDeleted(target.physicalId, begin, end);
    });
    stack.schedule(end, () =>
      stack.setResourceStatus(end, target.logicalId, target.type, 'DELETE_COMPLETE', undefined, target.physicalId),
    );
    t = end;
  }
  return t;
}

function rollbackCreate(stack: Stack, at: number, failedIds: string[], settings: ExecutionSettings): void {
  stack.setStatus(
    at,
    'ROLLBACK_IN_PROGRESS',
    `The following resource(s) failed to create: [${failedIds.join(', ')}]. Rollback requested by user.`,
  );
  const targets = [...stack.resources.values()].reverse();
  const end = scheduleDeletes(stack, targets, at + settings.stepMs / 2, settings.stepMs / 2, settings);
  stack.schedule(end, () => stack.setStatus(end, 'ROLLBACK_COMPLETE'));
}

/** Puts every touched resource back as it was before the update, then deletes what the update added. */
export function rollbackUpdate(stack: Stack, at: number, reason: string, settings: ExecutionSettings): void {
  stack.setStatus(at, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
  const before = stack.snapshot!;
  const step = settings.stepMs / 2;
  let t = at + step;
  const added: { logicalId: string; type: string; physicalId?: string }[] = [];
  for (const resource of [...stack.resources.values()].reverse()) {
    const previous = before.resources.get(resource.logicalId);
    if (!previous) {
      added.push(resource);
      continue;
    }
    if (
      previous.physicalId === resource.physicalId &&
      previous.status === resource.status &&
      !resource.status.includes('FAIL')
    )
      continue;
    if (previous.physicalId !== resource.physicalId) added.push({ ...resource, logicalId: resource.logicalId });
    const [begin, end] = [t, t + step];
    stack.schedule(begin, () =>
      stack.setResourceStatus(
        begin,
        previous.logicalId,
        previous.type,
        'UPDATE_IN_PROGRESS',
        undefined,
        previous.physicalId,
      ),
    );
    stack.schedule(end, () => {
      stack.setResourceStatus(
        end,
        previous.logicalId,
        previous.type,
        'UPDATE_COMPLETE',
        undefined,
        previous.physicalId,
      );
      stack.resources.get(previous.logicalId)!.properties = previous.properties;
    });
    t = end;
  }
  stack.schedule(t, () => {
    stack.setStatus(t, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    Object.assign(stack, {
      template: before.template,
      templateBody: before.templateBody,
      parameters: before.parameters,
      tags: before.tags,
    });
  });
  const end = scheduleDeletes(stack, added, t + step, step, settings);
  stack.schedule(end, () => stack.setStatus(end, 'UPDATE_ROLLBACK_COMPLETE'));
}
