// The ECS rollout, live: while the stack updates a service, one ECS call per poll shows the
// deployment as it moves (the new revision's tasks, traffic on it, bake time left, the alarms ECS
// watches), one line per change. DescribeServices finds the deployment; DescribeServiceDeployments
// follows it. When ECS rolls back, explain() says why: the alarm that fired (from CloudWatch) or
// the circuit breaker.
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { CloudWatchClient, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Reporter } from '../reporter.js';
import { parseServiceArn } from './diagnose.js';
import type { Waiter } from './wait.js';

const TERMINAL = /^(SUCCESSFUL|STOPPED|ROLLBACK_SUCCESSFUL|ROLLBACK_FAILED)$/;

export interface RolloutSummary {
  service: string;
  strategy: string;
  status: string;
  /** Every line the view printed, in order. */
  lines: string[];
}

export class RolloutView {
  private deploymentArn?: string;
  private bakeSeenAt?: number;
  private lastLine = '';
  /** Read once, when ECS first names a fired alarm: a rolled-back update may delete the alarms it added. */
  private firedAlarms?: Promise<MetricAlarm[]>;
  readonly lines: string[] = [];
  last?: ServiceDeployment;

  constructor(
    private readonly ecs: () => Promise<ECSClient>,
    private readonly cloudWatch: () => Promise<CloudWatchClient>,
    private readonly waiter: Waiter,
    private readonly reporter: Reporter,
    readonly serviceArn: string,
    /** When the stack started the service's create or update: older deployments are not this one. */
    private readonly since: Date,
  ) {}

  get finished(): boolean {
    return TERMINAL.test(this.last?.status ?? '');
  }

  /** Exactly one ECS call. */
  async poll(): Promise<void> {
    if (this.finished) return;
    const names = parseServiceArn(this.serviceArn);
    if (!names) return;
    const ecs = await this.ecs();
    if (!this.deploymentArn) {
      const out = await this.waiter.callElsewhere('the ECS service', () =>
        ecs.send(new DescribeServicesCommand({ cluster: names.cluster, services: [this.serviceArn] })),
      );
      const service = out.services?.[0];
      const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
      // A second of slack: ECS stamps the deployment, CloudFormation the event, on their own clocks.
      const isNew = (primary?.createdAt?.getTime() ?? 0) >= this.since.getTime() - 1000;
      if (service?.currentServiceDeployment && isNew) this.deploymentArn = service.currentServiceDeployment;
      // Until ECS has started the new deployment, the primary one is the old revision: nothing to show.
      if (primary && isNew)
        this.print(
          `rollout of ${names.service}: ${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} tasks running, ${primary.pendingCount ?? 0} pending`,
        );
      return;
    }
    const arn = this.deploymentArn;
    const out = await this.waiter.callElsewhere('the ECS service deployment', () =>
      ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
    );
    const deployment = out.serviceDeployments?.[0];
    if (!deployment) return;
    this.last = deployment;
    if (deployment.lifecycleStage === 'BAKE_TIME') this.bakeSeenAt ??= this.waiter.clock.now();
    const fired = deployment.alarms?.triggeredAlarmNames ?? [];
    if (fired.length > 0)
      this.firedAlarms ??= describeAlarms(this.cloudWatch, this.waiter, fired).catch(() => [] as MetricAlarm[]);
    this.print(rolloutLine(names.service, deployment, this.bakeLeftMinutes(deployment)));
  }

  summary(): RolloutSummary | undefined {
    if (!this.last) return undefined;
    return {
      service: parseServiceArn(this.serviceArn)?.service ?? this.serviceArn,
      strategy: strategyName(this.last),
      status: this.last.status ?? 'UNKNOWN',
      lines: this.lines,
    };
  }

  /**
   * Why ECS rolled the deployment back, first line first; empty when it did not. Reads the
   * deployment once more (it may have moved since the last poll) and the fired alarms.
   */
  async explain(): Promise<string[]> {
    if (this.deploymentArn && !this.finished) await this.poll();
    const d = this.last;
    if (!d || !/ROLLBACK/.test(d.status ?? '')) return [];
    const fired = d.alarms?.triggeredAlarmNames ?? [];
    if (fired.length > 0) {
      const alarms = (await this.firedAlarms) ?? [];
      return fired.map((name) => {
        const alarm = alarms.find((a) => a.AlarmName === name);
        return alarm
          ? `ECS rolled the deployment back: alarm ${name} fired (${alarmCondition(alarm)}): ${alarm.StateReason ?? 'no reason given'}`
          : `ECS rolled the deployment back: alarm ${name} fired.`;
      });
    }
    const breaker = d.deploymentCircuitBreaker;
    if (breaker?.status === 'TRIGGERED')
      return [
        `ECS rolled the deployment back: the circuit breaker tripped after ${breaker.failureCount ?? '?'} failed tasks (threshold ${breaker.threshold ?? '?'}).`,
      ];
    return [`ECS rolled the deployment back: ${d.rollback?.reason ?? d.statusReason ?? 'no reason given'}`];
  }

  private bakeLeftMinutes(d: ServiceDeployment): number | undefined {
    const bake = d.deploymentConfiguration?.bakeTimeInMinutes;
    if (d.lifecycleStage !== 'BAKE_TIME' || bake === undefined || this.bakeSeenAt === undefined) return undefined;
    return Math.max(0, Math.ceil(bake - (this.waiter.clock.now() - this.bakeSeenAt) / 60_000));
  }

  /** At most one line per change: a line equal to the last one is not printed again. */
  private print(line: string): void {
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.lines.push(line);
    this.reporter.info(line);
  }
}

const strategyName = (d: ServiceDeployment) =>
  (d.deploymentConfiguration?.strategy ?? 'ROLLING').toLowerCase().replace('_', '-');

/** `rollout of quiz (canary): PRODUCTION_TRAFFIC_SHIFT · new 2/2 running · old 2 running · traffic 10% on new · alarms monitoring (3)` */
export function rolloutLine(service: string, d: ServiceDeployment, bakeLeftMinutes?: number): string {
  const target = d.targetServiceRevision;
  const old = (d.sourceServiceRevisions ?? []).reduce((sum, r) => sum + (r.runningTaskCount ?? 0), 0);
  const parts = [
    `${d.status === 'IN_PROGRESS' ? '' : `${d.status} `}${d.lifecycleStage ?? ''}`.trim(),
    `new ${target?.runningTaskCount ?? 0}/${target?.requestedTaskCount ?? 0} running${target?.pendingTaskCount ? `, ${target.pendingTaskCount} pending` : ''}`,
    `old ${old} running`,
  ];
  if (target?.requestedProductionTrafficWeight !== undefined)
    parts.push(`traffic ${target.requestedProductionTrafficWeight}% on new`);
  if (bakeLeftMinutes !== undefined) parts.push(`bake ${bakeLeftMinutes} min left`);
  const alarms = d.alarms;
  if (alarms?.status && alarms.status !== 'DISABLED') {
    const fired = alarms.triggeredAlarmNames ?? [];
    parts.push(
      fired.length > 0
        ? `ALARM: ${fired.join(', ')}`
        : `alarms ${alarms.status.toLowerCase().replace('_', ' ')} (${alarms.alarmNames?.length ?? 0})`,
    );
  }
  return `rollout of ${service} (${strategyName(d)}): ${parts.join(' · ')}`;
}

async function describeAlarms(
  cloudWatch: () => Promise<CloudWatchClient>,
  waiter: Waiter,
  names: string[],
): Promise<MetricAlarm[]> {
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const client = await cloudWatch();
  const out = await waiter.callElsewhere('the CloudWatch alarms', () =>
    client.send(new DescribeAlarmsCommand({ AlarmNames: names })),
  );
  return out.MetricAlarms ?? [];
}

const OPERATORS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

/** `AWS/ApiGateway 5XXError Average > 0.05`, or the metric math expression. */
export function alarmCondition(alarm: MetricAlarm): string {
  const metric = alarm.MetricName
    ? `${alarm.Namespace} ${alarm.MetricName} ${alarm.ExtendedStatistic ?? alarm.Statistic ?? ''}`.trim()
    : (alarm.Metrics?.find((m) => m.ReturnData)?.Expression ?? 'metric math');
  const operator = OPERATORS[alarm.ComparisonOperator ?? ''] ?? alarm.ComparisonOperator ?? '?';
  return `${metric} ${operator} ${alarm.Threshold}`;
}
