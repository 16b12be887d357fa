// When an ECS service fails or does not stabilize, CloudFormation only says "did not stabilize".
// ECS knows why: the service's events and its stopped tasks (image pull failures, no route to
// ECR, failing health checks, the container's exit code). Fetch them while they still exist.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import type { Waiter } from './wait.js';

const SERVICE_EVENTS = 5;
const STOPPED_TASKS = 3;

/** Cluster and service name from a service ARN (arn:aws:ecs:region:account:service/cluster/name). */
export function parseServiceArn(arn: string): { cluster: string; service: string } | undefined {
  const match = /:service\/([^/]+)\/([^/]+)$/.exec(arn);
  return match ? { cluster: match[1], service: match[2] } : undefined;
}

/** Lines describing why a service's tasks do not run; empty when ECS has nothing to say. */
export async function diagnoseService(ecs: ECSClient, waiter: Waiter, serviceArn: string): Promise<string[]> {
  const names = parseServiceArn(serviceArn);
  if (!names) return [];
  const { cluster, service } = names;
  const lines: string[] = [`ECS service ${service} (cluster ${cluster}):`];

  const described = await waiter.call('the ECS service', () =>
    ecs.send(new DescribeServicesCommand({ cluster, services: [serviceArn] })),
  );
  const details = described.services?.[0];
  for (const deployment of details?.deployments ?? []) {
    if (deployment.rolloutStateReason && deployment.rolloutState !== 'COMPLETED') {
      lines.push(`  deployment ${deployment.rolloutState}: ${deployment.rolloutStateReason}`);
    }
  }
  for (const event of (details?.events ?? []).slice(0, SERVICE_EVENTS).reverse()) {
    lines.push(`  service event ${event.createdAt?.toISOString().slice(11, 19) ?? ''}: ${event.message}`);
  }

  const listed = await waiter.call('the stopped ECS tasks', () =>
    ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: STOPPED_TASKS })),
  );
  const taskArns = listed.taskArns ?? [];
  if (taskArns.length > 0) {
    const tasks = await waiter.call('the stopped ECS tasks', () => ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns })));
    for (const task of tasks.tasks ?? []) lines.push(...describeStoppedTask(task));
  }
  return lines.length > 1 ? lines : [];
}

export function describeStoppedTask(task: Task): string[] {
  const id = task.taskArn?.split('/').pop() ?? '?';
  const code = task.stopCode ? ` [${task.stopCode}]` : '';
  const lines = [`  stopped task ${id}${code}: ${task.stoppedReason ?? 'no reason given'}`];
  for (const container of task.containers ?? []) {
    const exit = container.exitCode !== undefined ? `exit code ${container.exitCode}` : 'never ran (no exit code)';
    lines.push(`    container ${container.name}: ${container.reason ? `${container.reason}, ` : ''}${exit}`);
  }
  return lines;
}
