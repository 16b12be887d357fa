// Stacks that exist before a test starts, in the states the scenarios name. Each one is made by
// the same machinery as a real deploy, run in the past, so its events and resources look lived-in.
import { ChangeSet, type ChangeSetRequest } from './change-set.js';
import { creationOrder } from './changes.js';
import type { CloudFormation } from './cloudformation.js';
import { scheduleResources, type Work } from './execution.js';
import { DEFAULT_FAILURE_REASON, type ScenarioOptions } from './scenario.js';
import { sampleTemplate } from './sample-template.js';
import { Stack } from './stack.js';
import { activeResources, parseTemplate, resolveParameters, type ParsedTemplate } from './template.js';

const ROLLBACK_REASON = 'The following resource(s) failed to update: [Service]. ';

/** Puts `name` in place in the state asked for, replacing a live stack of that name. */
export function seedStack(
  cfn: CloudFormation,
  options: ScenarioOptions,
  seed: NonNullable<ScenarioOptions['stack']>,
  now: number,
): Stack {
  const name = seed.name ?? options.stackName;
  if (!name) throw new Error('A scenario with an existing stack needs stackName (or stack.name).');
  cfn.advance(now);
  const previous = cfn.findStack(name);
  if (previous) cfn.stacks.splice(cfn.stacks.indexOf(previous), 1);
  const body = seed.templateBody ?? sampleTemplate();
  const template = parseTemplate(body);
  const given = seed.parameters ?? {
    ImageUri: `${options.accountId}.dkr.ecr.${options.region}.amazonaws.com/app@sha256:${'0'.repeat(64)}`,
  };
  const declared = Object.entries(given).filter(([key]) => key in (template.Parameters ?? {}));
  const parameters = resolveParameters(
    template,
    declared.map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    undefined,
  );

  const stack = new Stack(name, cfn.account, now - 3_600_000);
  stack.setStatus(stack.createdAt, 'REVIEW_IN_PROGRESS', 'User Initiated');
  cfn.stacks.push(stack);
  stack.terminationProtection = seed.terminationProtection ?? false;
  if (seed.status === 'REVIEW_IN_PROGRESS') return stack;

  const failAt = seed.status === 'ROLLBACK_COMPLETE' ? { resource: 1, reason: DEFAULT_FAILURE_REASON } : undefined;
  createInThePast(cfn, stack, template, body, parameters, now, failAt);
  if (seed.status === 'UPDATE_ROLLBACK_FAILED') {
    stack.setStatus(now, 'UPDATE_ROLLBACK_IN_PROGRESS', ROLLBACK_REASON);
    stack.setStatus(now, 'UPDATE_ROLLBACK_FAILED', ROLLBACK_REASON);
  }
  if (seed.status === 'UPDATE_IN_PROGRESS') otherRunsUpdate(cfn, stack, now, seed.inProgressForMs ?? 3000);
  return stack;
}

function createInThePast(
  cfn: CloudFormation,
  stack: Stack,
  template: ParsedTemplate,
  templateBody: string,
  parameters: Record<string, string>,
  now: number,
  failAt?: { resource: number; reason: string },
): void {
  const request: ChangeSetRequest = {
    name: 'seed',
    type: 'CREATE',
    template,
    templateBody,
    parameters,
    tags: [],
    capabilities: ['CAPABILITY_IAM'],
  };
  const resources = creationOrder(activeResources(template, stack.context(parameters, template).conditions!));
  const changes = resources.map(([id, r]) => ({
    Action: 'Add' as const,
    LogicalResourceId: id,
    ResourceType: r.Type,
    Scope: [],
    Details: [],
  }));
  const changeSet = new ChangeSet(request, stack, changes, stack.createdAt, stack.createdAt, undefined, cfn.account);
  cfn.executeChangeSet(changeSet, stack.createdAt, { stepMs: 1000, failAt, unstableService: undefined });
  cfn.advance(now);
}

/** Another run's update, in progress now and finishing after `durationMs`. */
function otherRunsUpdate(cfn: CloudFormation, stack: Stack, now: number, durationMs: number): void {
  stack.takeSnapshot();
  stack.operations.push({ kind: 'UPDATE', startedAt: now });
  stack.setStatus(now, 'UPDATE_IN_PROGRESS', 'User Initiated');
  const [first] = [...stack.resources.values()];
  const works: Work[] = first
    ? [
        {
          logicalId: first.logicalId,
          type: first.type,
          action: 'Modify',
          properties: stack.template?.Resources[first.logicalId]?.Properties ?? {},
        },
      ]
    : [];
  const settings = cfn.executionSettings({ stepMs: durationMs * 0.9, failAt: undefined, unstableService: undefined });
  const end = scheduleResources(stack, works, now, settings, true) ?? now;
  const done = now + durationMs;
  stack.schedule(end, () => stack.setStatus(end, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
  stack.schedule(done, () => stack.setStatus(done, 'UPDATE_COMPLETE'));
}
