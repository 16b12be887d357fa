// ECS as a deploy sees it: services the stacks create, their events, and their tasks, which
// either settle or keep stopping (image pull failures, crashing containers, failing health checks)
// at a scripted rhythm. Everything is derived from the clock, so repeated calls agree.
import { createHash } from 'node:crypto';
import { AwsError } from './errors.js';
import type { Account } from './physical-ids.js';
import type { Json } from './template.js';
import { rolloutAt, rolloutPlan, type RolloutPlan, type RolloutScenario, type RolloutSnapshot } from './ecs-rollout.js';

export type TaskBehaviour = 'healthy' | 'image-pull' | 'exit' | 'health-check';

export interface ServiceBehaviour {
  tasks: TaskBehaviour;
  /** A task starts every cycle; a failing one stops 70% into it. */
  taskCycleMs: number;
  /** The container's exit code for 'exit' (default 1). */
  exitCode?: number;
}

interface Deployment {
  id: string;
  startedAt: number;
  taskDefinition: string;
  image: string;
  behaviour: ServiceBehaviour;
  plan: RolloutPlan;
  rollout: RolloutScenario;
}

export interface EcsService {
  name: string;
  arn: string;
  cluster: string;
  desiredCount: number;
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  deployments: Deployment[];
  deletedAt?: number;
}

interface Task {
  id: string;
  deployment: Deployment;
  startedAt: number;
  stoppedAt?: number;
}

const MAX_TASKS = 100;
const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);
const taskId = (seed: string): string => createHash('sha256').update(seed).digest('hex').slice(0, 32);

export class Ecs {
  readonly services: EcsService[] = [];
  readonly clusters = new Set<string>(['default']);

  constructor(private readonly account: Account) {}

  private arn(kind: string, path: string): string {
    return `arn:aws:ecs:${this.account.region}:${this.account.accountId}:${kind}/${path}`;
  }

  /** A stack created or updated an AWS::ECS::Service: a new deployment starts now. */
  deploy(
    serviceArn: string,
    properties: Record<string, Json>,
    image: string,
    behaviour: ServiceBehaviour,
    at: number,
    rollout: RolloutScenario = { durationMs: 0 },
  ): void {
    const [cluster, name] = serviceArn.split('/').slice(-2);
    this.clusters.add(cluster);
    let service = this.services.find((s) => s.arn === serviceArn && s.deletedAt === undefined);
    const loadBalancer = ((properties.LoadBalancers as Record<string, Json>[] | undefined) ?? [])[0] ?? {};
    if (!service) {
      service = {
        name,
        arn: serviceArn,
        cluster,
        desiredCount: Number(properties.DesiredCount ?? 1),
        targetGroupArn: String(loadBalancer.TargetGroupArn ?? this.arn('targetgroup', name)),
        containerName: String(loadBalancer.ContainerName ?? 'app'),
        containerPort: Number(loadBalancer.ContainerPort ?? 8080),
        deployments: [],
      };
      this.services.push(service);
    }
    const id = `ecs-svc/${BigInt(`0x${taskId(`${serviceArn}${at}`).slice(0, 15)}`)}`;
    service.deployments.push({
      id,
      startedAt: at,
      taskDefinition: String(properties.TaskDefinition ?? ''),
      image,
      behaviour: { ...behaviour },
      plan: rolloutPlan(properties),
      rollout: { ...rollout },
    });
  }

  /** The running tasks registered in a target group, with what they do (for ELBv2 target health). */
  registeredTasks(targetGroupArn: string, now: number): { id: string; port: number; behaviour: TaskBehaviour }[] {
    return this.services
      .filter((s) => s.targetGroupArn === targetGroupArn && s.deletedAt === undefined)
      .flatMap((s) => this.tasks(s, now).map((t) => ({ t, port: s.containerPort })))
      .filter(({ t }) => t.stoppedAt === undefined && t.deployment.behaviour.tasks !== 'image-pull')
      .map(({ t, port }) => ({ id: t.id, port, behaviour: t.deployment.behaviour.tasks }));
  }

  removeCluster(name: string, at: number): void {
    for (const service of this.services) if (service.cluster === name) service.deletedAt ??= at;
  }

  private tasks(service: EcsService, now: number): Task[] {
    const tasks: Task[] = [];
    service.deployments.forEach((deployment, index) => {
      const until = Math.min(now, service.deployments[index + 1]?.startedAt ?? Infinity, service.deletedAt ?? Infinity);
      const { taskCycleMs: cycle, tasks: mode } = deployment.behaviour;
      // Capped per deployment: an old crash-looping deployment must not hide the new one's tasks.
      for (let k = 0; deployment.startedAt + k * cycle + cycle * 0.2 <= until && k < MAX_TASKS; k++) {
        const startedAt = deployment.startedAt + k * cycle + cycle * 0.2;
        const stopAt = mode === 'healthy' ? Infinity : startedAt + cycle * 0.5;
        tasks.push({
          id: taskId(`${deployment.id}/${k}`),
          deployment,
          startedAt,
          stoppedAt: stopAt <= until ? stopAt : undefined,
        });
        if (mode === 'healthy') break;
      }
    });
    return tasks;
  }

  private events(service: EcsService, now: number): { id: string; createdAt: number; message: string }[] {
    const events: { at: number; message: string }[] = [];
    const svc = `(service ${service.name})`;
    const tg = `(target-group ${service.targetGroupArn})`;
    const tasks = this.tasks(service, now);
    for (const task of tasks) {
      events.push({ at: task.startedAt, message: `${svc} has started 1 tasks: (task ${task.id}).` });
      const mode = task.deployment.behaviour.tasks;
      if (mode === 'healthy') {
        const registered = task.startedAt + task.deployment.behaviour.taskCycleMs * 0.4;
        events.push({ at: registered, message: `${svc} registered 1 targets in ${tg}` });
        events.push({ at: registered + 1, message: `${svc} has reached a steady state.` });
      } else if (task.stoppedAt !== undefined) {
        if (mode === 'health-check') {
          events.push({
            at: task.stoppedAt - 1,
            message: `${svc} (port ${service.containerPort}) is unhealthy in ${tg} due to (reason Health checks failed).`,
          });
        }
        events.push({ at: task.stoppedAt, message: `${svc} has stopped 1 running tasks: (task ${task.id}).` });
      }
    }
    const stopped = tasks.filter((t) => t.stoppedAt !== undefined);
    if (stopped.length >= 3) {
      events.push({
        at: stopped[2].stoppedAt! + 1,
        message: `${svc} is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
      });
    }
    return events
      .filter((e) => e.at <= now)
      .sort((a, b) => b.at - a.at)
      .map((e) => ({
        id: taskId(`${service.arn}${e.at}${e.message}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        createdAt: e.at,
        message: e.message,
      }));
  }

  private findService(cluster: string, nameOrArn: string): EcsService | undefined {
    return this.services.find(
      (s) => s.deletedAt === undefined && s.cluster === cluster && (s.name === nameOrArn || s.arn === nameOrArn),
    );
  }

  private clusterName(input: Record<string, unknown>): string {
    const cluster = String(input.cluster ?? 'default')
      .split('/')
      .at(-1)!;
    if (!this.clusters.has(cluster)) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  private describeTask(cluster: string, task: Task, service: EcsService): Record<string, unknown> {
    const { deployment } = task;
    const mode = deployment.behaviour.tasks;
    const taskArn = this.arn('task', `${cluster}/${task.id}`);
    const stopped = task.stoppedAt !== undefined;
    const pull = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${deployment.image}: ${deployment.image}: not found`;
    const failure: Record<
      TaskBehaviour,
      { stopCode?: string; stoppedReason?: string; exitCode?: number; reason?: string }
    > = {
      healthy: {},
      'image-pull': { stopCode: 'TaskFailedToStart', stoppedReason: pull, reason: pull },
      exit: {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: deployment.behaviour.exitCode ?? 1,
      },
      'health-check': {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: `Task failed ELB health checks in (target-group ${service.targetGroupArn})`,
        exitCode: 137,
      },
    };
    const why = stopped ? failure[mode] : {};
    const neverStarted = mode === 'image-pull';
    return {
      taskArn,
      clusterArn: this.arn('cluster', cluster),
      taskDefinitionArn: deployment.taskDefinition,
      group: `service:${service.name}`,
      startedBy: deployment.id,
      launchType: 'FARGATE',
      availabilityZone: `${this.account.region}a`,
      lastStatus: stopped ? 'STOPPED' : neverStarted ? 'PENDING' : 'RUNNING',
      desiredStatus: stopped ? 'STOPPED' : 'RUNNING',
      createdAt: seconds(task.startedAt),
      startedAt: neverStarted ? undefined : seconds(task.startedAt),
      stoppingAt: seconds(task.stoppedAt),
      stoppedAt: seconds(task.stoppedAt),
      stopCode: why.stopCode,
      stoppedReason: why.stoppedReason,
      containers: [
        {
          containerArn: this.arn('container', `${cluster}/${task.id}/${taskId(task.id).slice(0, 36)}`),
          taskArn,
          name: service.containerName,
          image: deployment.image,
          lastStatus: stopped ? 'STOPPED' : neverStarted ? 'PENDING' : 'RUNNING',
          exitCode: why.exitCode,
          reason: why.reason,
        },
      ],
    };
  }

  handle(operation: string, input: Record<string, unknown>, now: number): Record<string, unknown> {
    const cluster = this.clusterName(input);
    switch (operation) {
      case 'DescribeServices': {
        const names = (input.services as string[] | undefined) ?? [];
        const found = names.map((name) => [name, this.findService(cluster, name)] as const);
        return {
          services: found.filter(([, s]) => s).map(([, s]) => this.describeService(s!, now)),
          failures: found
            .filter(([, s]) => !s)
            .map(([name]) => ({
              arn: name.startsWith('arn:') ? name : this.arn('service', `${cluster}/${name}`),
              reason: 'MISSING',
            })),
        };
      }
      case 'ListTasks': {
        const service = input.serviceName ? this.findService(cluster, String(input.serviceName)) : undefined;
        if (input.serviceName && !service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
        const services = service
          ? [service]
          : this.services.filter((s) => s.cluster === cluster && s.deletedAt === undefined);
        const wanted = String(input.desiredStatus ?? 'RUNNING');
        const taskArns = services.flatMap((s) =>
          this.tasks(s, now)
            .filter((t) => (t.stoppedAt !== undefined ? 'STOPPED' : 'RUNNING') === wanted)
            .reverse()
            .map((t) => this.arn('task', `${cluster}/${t.id}`)),
        );
        return { taskArns: taskArns.slice(0, Number(input.maxResults ?? 100)) };
      }
      case 'DescribeTasks': {
        const wanted = (input.tasks as string[] | undefined) ?? [];
        const all = this.services
          .filter((s) => s.cluster === cluster)
          .flatMap((s) => this.tasks(s, now).map((t) => ({ t, s })));
        const found = wanted.map((ref) => [ref, all.find(({ t }) => ref.endsWith(t.id))] as const);
        return {
          tasks: found.filter(([, hit]) => hit).map(([, hit]) => this.describeTask(cluster, hit!.t, hit!.s)),
          failures: found.filter(([, hit]) => !hit).map(([ref]) => ({ arn: ref, reason: 'MISSING' })),
        };
      }
      case 'DescribeServiceDeployments': {
        const arns = (input.serviceDeploymentArns as string[] | undefined) ?? [];
        const found = arns.map((arn) => [arn, this.findDeployment(arn)] as const);
        return {
          serviceDeployments: found
            .filter(([, hit]) => hit)
            .map(([, hit]) => this.describeDeployment(hit!.s, hit!.d, now)),
          failures: found.filter(([, hit]) => !hit).map(([arn]) => ({ arn, reason: 'MISSING' })),
        };
      }
      default:
        throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  /** Alarms a scripted rollout fired by now: name → when, and the value the scenario gave. */
  firedAlarms(now: number): Map<string, { at: number; value?: number }> {
    const fired = new Map<string, { at: number; value?: number }>();
    for (const service of this.services)
      for (const d of service.deployments) {
        const alarm = d.rollout.alarm ?? undefined;
        for (const name of rolloutAt(d.plan, d.rollout, service.desiredCount, d.startedAt, now).triggered)
          fired.set(name, { at: d.startedAt + (alarm?.atMs ?? 0), value: alarm?.value });
      }
    return fired;
  }

  private deploymentArn(service: EcsService, deployment: Deployment): string {
    return this.arn('service-deployment', `${service.cluster}/${service.name}/${deployment.id.split('/')[1]}`);
  }

  private findDeployment(arn: string): { s: EcsService; d: Deployment } | undefined {
    for (const s of this.services) for (const d of s.deployments) if (this.deploymentArn(s, d) === arn) return { s, d };
    return undefined;
  }

  /** The deployment's rollout: scripted by the scenario, or by its tasks (a circuit breaker trips after 3 failed ones). */
  private rolloutOf(service: EcsService, deployment: Deployment, now: number): RolloutSnapshot {
    const snapshot = rolloutAt(deployment.plan, deployment.rollout, service.desiredCount, deployment.startedAt, now);
    if (deployment.behaviour.tasks === 'healthy') return snapshot;
    const failed = this.tasks(service, now).filter((t) => t.deployment === deployment && t.stoppedAt !== undefined);
    const tripped = failed.length >= 3;
    return {
      ...snapshot,
      status: tripped ? 'ROLLBACK_IN_PROGRESS' : 'IN_PROGRESS',
      lifecycleStage: tripped ? 'RECONCILE_SERVICE' : 'SCALE_UP',
      newRunning: 0,
      newPending: 1,
      oldRunning: snapshot.oldRunning,
      traffic: 0,
      finishedAt: undefined,
      rollbackAt: tripped ? failed[2].stoppedAt : undefined,
    };
  }

  private describeDeployment(service: EcsService, deployment: Deployment, now: number): Record<string, unknown> {
    const r = this.rolloutOf(service, deployment, now);
    const index = service.deployments.indexOf(deployment);
    const previous = service.deployments[index - 1];
    const failed = this.tasks(service, now).filter((t) => t.deployment === deployment && t.stoppedAt !== undefined);
    const revision = (d: Deployment, running: number, pending: number, traffic: number) => ({
      arn: this.arn('service-revision', `${service.cluster}/${service.name}/${d.id.split('/')[1]}`),
      requestedTaskCount: service.desiredCount,
      runningTaskCount: running,
      pendingTaskCount: pending,
      requestedProductionTrafficWeight: traffic,
    });
    const { plan } = deployment;
    const rolledBack = r.rollbackAt !== undefined;
    return {
      serviceDeploymentArn: this.deploymentArn(service, deployment),
      serviceArn: service.arn,
      clusterArn: this.arn('cluster', service.cluster),
      createdAt: seconds(deployment.startedAt),
      startedAt: seconds(deployment.startedAt),
      updatedAt: seconds(now),
      finishedAt: seconds(r.finishedAt),
      status: r.status,
      lifecycleStage: r.lifecycleStage,
      targetServiceRevision: revision(deployment, r.newRunning, r.newPending, r.traffic),
      sourceServiceRevisions: previous ? [revision(previous, r.oldRunning, 0, 100 - r.traffic)] : [],
      deploymentConfiguration: {
        strategy: plan.strategy,
        bakeTimeInMinutes: plan.bakeTimeInMinutes,
        ...(plan.strategy === 'CANARY' ? { canaryConfiguration: { canaryPercent: plan.canaryPercent } } : {}),
        ...(plan.strategy === 'LINEAR' ? { linearConfiguration: { stepPercent: plan.stepPercent } } : {}),
      },
      alarms: plan.alarmRollback
        ? {
            status: r.triggered.length > 0 ? 'TRIGGERED' : r.finishedAt ? 'MONITORING_COMPLETE' : 'MONITORING',
            alarmNames: plan.alarmNames,
            triggeredAlarmNames: r.triggered,
          }
        : { status: 'DISABLED' },
      deploymentCircuitBreaker: {
        status: deployment.behaviour.tasks !== 'healthy' && failed.length >= 3 ? 'TRIGGERED' : 'MONITORING',
        failureCount: failed.length,
        threshold: 3,
      },
      ...(rolledBack
        ? {
            rollback: {
              reason:
                r.triggered.length > 0
                  ? `Service deployment rolled back because of alarm(s): ${r.triggered.join(', ')}.`
                  : 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
              startedAt: seconds(r.rollbackAt),
              serviceRevisionArn: previous ? revision(previous, 0, 0, 0).arn : undefined,
            },
          }
        : {}),
    };
  }

  private describeService(service: EcsService, now: number): Record<string, unknown> {
    const tasks = this.tasks(service, now);
    const current = service.deployments.at(-1)!;
    const running = tasks.filter(
      (t) => t.deployment === current && t.stoppedAt === undefined && current.behaviour.tasks !== 'image-pull',
    ).length;
    const failed = tasks.filter((t) => t.deployment === current && t.stoppedAt !== undefined).length;
    const rollout = this.rolloutOf(service, current, now);
    const alarmed = rollout.triggered.length > 0 && rollout.rollbackAt !== undefined;
    const steady = current.behaviour.tasks === 'healthy' && running > 0 && rollout.status === 'SUCCESSFUL';
    return {
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: this.arn('cluster', service.cluster),
      status: 'ACTIVE',
      desiredCount: service.desiredCount,
      runningCount: running,
      pendingCount: steady ? 0 : 1,
      launchType: 'FARGATE',
      taskDefinition: current.taskDefinition,
      currentServiceDeployment: this.deploymentArn(service, current),
      createdAt: seconds(service.deployments[0].startedAt),
      loadBalancers: [
        {
          targetGroupArn: service.targetGroupArn,
          containerName: service.containerName,
          containerPort: service.containerPort,
        },
      ],
      deployments: [
        {
          id: current.id,
          status: 'PRIMARY',
          taskDefinition: current.taskDefinition,
          desiredCount: service.desiredCount,
          runningCount: running,
          pendingCount: steady ? 0 : 1,
          failedTasks: failed,
          createdAt: seconds(current.startedAt),
          updatedAt: seconds(now),
          launchType: 'FARGATE',
          rolloutState: steady ? 'COMPLETED' : failed >= 3 || alarmed ? 'FAILED' : 'IN_PROGRESS',
          rolloutStateReason: steady
            ? 'ECS deployment completed.'
            : failed >= 3
              ? 'ECS deployment circuit breaker: tasks failed to start.'
              : alarmed
                ? `ECS deployment detected triggered alarm(s): ${rollout.triggered.join(', ')}.`
                : 'ECS deployment in progress.',
        },
      ],
      events: this.events(service, now).map((e) => ({ ...e, createdAt: seconds(e.createdAt) })),
    };
  }
}
