// API Gateway creates a stage's execution log group on first use when nothing else has: outside
// the stack, never expiring. The stack now creates it first, with retention; but a stack deployed
// before that already has the group outside it, and creating it again fails ("already exists").
// For such a stack the deploy leaves the group out and says how to give it a retention.
import { DescribeStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { REST_API } from '../render/api-ids.js';
import { EXECUTION_LOG_GROUP } from '../render/api-stage.js';
import type { Template } from '../render/template.js';
import type { Reporter } from '../reporter.js';
import type { Waiter } from '../deploy/wait.js';
import type { StackAsRead } from './deploy.js';

/** The stack's physical id of a logical resource, or undefined when the stack or the resource does not exist. */
async function physicalId(
  cfn: CloudFormationClient,
  waiter: Waiter,
  stackName: string,
  logicalId: string,
): Promise<string | undefined> {
  try {
    // Through the waiter: paced with the run's other reads, bounded by its deadline and signal.
    const { StackResources = [] } = await waiter.call(`the ${logicalId} of stack ${stackName}`, () =>
      cfn.send(new DescribeStackResourcesCommand({ StackName: stackName, LogicalResourceId: logicalId }), {
        abortSignal: waiter.signal,
      }),
    );
    return StackResources.find((r) => r.LogicalResourceId === logicalId)?.PhysicalResourceId ?? undefined;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** The template to deploy: as rendered, unless the stack's API predates the stack owning its execution log group. */
export async function withoutForeignExecutionLogGroup(
  cfn: CloudFormationClient,
  waiter: Waiter,
  stackName: string,
  template: Template,
  reporter: Reporter,
  /** The stack as just read: a new or empty stack, or one whose template has the group, needs no call. */
  asRead?: StackAsRead,
): Promise<Template> {
  const group = template.Resources[EXECUTION_LOG_GROUP];
  if (!group) return template;
  if (asRead && (!asRead.stack || asRead.stack.StackStatus === 'REVIEW_IN_PROGRESS')) return template;
  const deployed = asRead?.deployed?.template.Resources;
  if (deployed ? EXECUTION_LOG_GROUP in deployed : await physicalId(cfn, waiter, stackName, EXECUTION_LOG_GROUP))
    return template;
  if (deployed && !(REST_API in deployed)) return template;
  const apiId = await physicalId(cfn, waiter, stackName, REST_API);
  if (!apiId) return template;
  const resources = Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([id]) => id !== EXECUTION_LOG_GROUP)
      .map(([id, resource]) => {
        const dependsOn = [resource.DependsOn ?? []].flat().filter((d) => d !== EXECUTION_LOG_GROUP);
        const { DependsOn: _, ...rest } = resource;
        return [id, dependsOn.length > 0 ? { ...rest, DependsOn: dependsOn } : rest];
      }),
  );
  const stage = (group.Properties?.LogGroupName as { 'Fn::Sub': string })['Fn::Sub'].split('/').at(-1);
  const name = `API-Gateway-Execution-Logs_${apiId}/${stage}`;
  const retentionDays = group.Properties?.RetentionInDays as number;
  reporter.warning(
    `Stack ${stackName}'s API was deployed before the stack created its execution log group, so API Gateway created ${name} outside the stack, where it never expires; it is left there. Give it a retention: aws logs put-retention-policy --log-group-name '${name}' --retention-in-days ${retentionDays}`,
  );
  return { ...template, Resources: resources };
}
