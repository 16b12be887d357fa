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
  const [, cluster, service] = /:service\/([^/]+)\/([^/]+)$/.exec(arn) ?? [];
  return cluster && service ? { cluster, service } : undefined;
}

/** Lines describing why a service's tasks do not run; empty when ECS has nothing to say. */
export async function diagnoseService(ecs: ECSClient, waiter: Waiter, serviceArn: string): Promise<string[]> {
  const names = parseServiceArn(serviceArn);
  if (!names) return [];
  const { cluster, service } = names;
  const lines: string[] = [`ECS service ${service} (cluster ${cluster}):`];

  const described = await waiter.callElsewhere('the ECS service', () =>
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

  const listed = await waiter.callElsewhere('the stopped ECS tasks', () =>
    ecs.send(
      new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: STOPPED_TASKS }),
    ),
  );
  const taskArns = listed.taskArns ?? [];
  if (taskArns.length > 0) {
    const tasks = await waiter.callElsewhere('the stopped ECS tasks', () =>
      ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns })),
    );
    lines.push(...describeStoppedTasks(tasks.tasks ?? []));
  }
  return lines.length > 1 ? lines : [];
}

/** Tasks that stopped for the same reason are shown once: a crash loop repeats itself. */
export function describeStoppedTasks(tasks: Task[]): string[] {
  const groups = new Map<string, string[]>();
  for (const task of tasks) {
    const reason = task.stoppedReason ?? 'no reason given';
    const code = task.stopCode ? ` [${task.stopCode}]` : '';
    const containers = (task.containers ?? []).map((container) => {
      const exit = container.exitCode !== undefined ? `exit code ${container.exitCode}` : 'never ran (no exit code)';
      // The container's reason is often the task's own, word for word: say it once.
      const own = container.reason && container.reason !== reason ? `${container.reason}, ` : '';
      return `    container ${container.name}: ${own}${exit}`;
    });
    const key = [`${code}: ${reason}`, ...containers].join('\n');
    groups.set(key, [...(groups.get(key) ?? []), task.taskArn?.split('/').pop() ?? '?']);
  }
  return [...groups].flatMap(([key, ids]) => {
    const who = ids.length === 1 ? `stopped task ${ids[0]}` : `${ids.length} stopped tasks (${ids.join(', ')})`;
    return `  ${who}${key}`.split('\n');
  });
}
