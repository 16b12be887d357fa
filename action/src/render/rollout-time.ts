// How long a new image takes to reach all the traffic with the old tasks gone, modelled from a
// rendered template's own values and AWS's documented delays. Used by `npm run bench` and the
// README's table; a model, not a measurement: Fargate's task start is an assumption (AWS
// documents no figure), everything else is either in the template or in AWS's documentation.
import type { Template, Value } from './template.js';

/** AWS's documented values, and the one assumption, in seconds. */
export const AWS = {
  /** NLB target groups: HealthCheckIntervalSeconds 30, HealthyThresholdCount 5 (ELB NLB docs, "Health checks for Network Load Balancer target groups"). */
  healthCheckInterval: 30,
  healthyThreshold: 5,
  /** deregistration_delay.timeout_seconds 300 (ELB NLB docs, "Deregistration delay"). */
  deregistrationDelay: 300,
  /** A container's stopTimeout on Fargate: 30 s by default (ECS task definition parameters). */
  stopTimeout: 30,
  /**
   * ECS adds 10 minutes to the TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT stages of a
   * blue/green, canary or linear deployment behind an NLB (ECS developer guide, "Network Load
   * Balancer resources for Amazon ECS blue/green, linear and canary deployments"). Counted here
   * once for the test shift and once for every production shift.
   */
  nlbShiftDelay: 600,
  /** CanaryConfiguration defaults: 5 %, 10 minutes; LinearConfiguration: 10 %, 6 minutes (ECS API reference). */
  canary: { percent: 5, bakeMinutes: 10 },
  linear: { stepPercent: 10, stepBakeMinutes: 6 },
  /** Assumed, not documented: Fargate placement, image pull and app start of a small image. */
  taskStart: 40,
} as const;

export interface RolloutTime {
  strategy: string;
  seconds: number;
  /** The parts, in order, that add up to `seconds`. */
  parts: [string, number][];
}

type Props = Record<string, Value>;
const num = (value: Value | undefined, fallback: number) => (typeof value === 'number' ? value : fallback);

/** `defaults`: replace the template's target group and strategy settings by AWS's defaults. */
export function rolloutTime(template: Template, { defaults = false } = {}): RolloutTime {
  const byType = (type: string) => Object.values(template.Resources).find((r) => r.Type === type)?.Properties ?? {};
  const service = byType('AWS::ECS::Service');
  const group = template.Resources.TargetGroup?.Properties ?? {};
  const deployment = (service.DeploymentConfiguration ?? {}) as Props;
  const attributes = (group.TargetGroupAttributes ?? []) as { Key: string; Value: string }[];
  const dereg = attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
  const interval = defaults ? AWS.healthCheckInterval : num(group.HealthCheckIntervalSeconds, AWS.healthCheckInterval);
  const threshold = defaults ? AWS.healthyThreshold : num(group.HealthyThresholdCount, AWS.healthyThreshold);
  const drain = defaults || dereg === undefined ? AWS.deregistrationDelay : Number(dereg);
  const desired = num(service.DesiredCount, num(byType('AWS::ApplicationAutoScaling::ScalableTarget').MinCapacity, 1));
  const strategy = typeof deployment.Strategy === 'string' ? deployment.Strategy : 'ROLLING';
  const bake = num(deployment.BakeTimeInMinutes, 0) * 60;

  const startAndHealthy: [string, number][] = [
    ['task start (assumed)', AWS.taskStart],
    [`health checks ${threshold} × ${interval} s`, threshold * interval],
  ];
  const oldGone: [string, number][] = [
    [`deregistration delay`, drain],
    ['stop timeout', AWS.stopTimeout],
  ];
  const parts: [string, number][] = [];
  if (strategy === 'ROLLING') {
    const min = num(deployment.MinimumHealthyPercent, 100);
    const max = num(deployment.MaximumPercent, 200);
    const perWave = Math.max(1, Math.floor((desired * (max - min)) / 100));
    const waves = Math.ceil(desired / perWave);
    for (let wave = 1; wave <= waves; wave++)
      parts.push(
        ...startAndHealthy.map(([what, s]): [string, number] => [waves > 1 ? `wave ${wave}: ${what}` : what, s]),
      );
    parts.push(...oldGone);
  } else {
    const canary = (deployment.CanaryConfiguration ?? {}) as Props;
    const linear = (deployment.LinearConfiguration ?? {}) as Props;
    parts.push(...startAndHealthy, ['NLB delay: test traffic shift', AWS.nlbShiftDelay]);
    if (strategy === 'CANARY') {
      const bakeMinutes = defaults
        ? AWS.canary.bakeMinutes
        : num(canary.CanaryBakeTimeInMinutes, AWS.canary.bakeMinutes);
      parts.push(['NLB delay: canary shift', AWS.nlbShiftDelay], ['canary bake', bakeMinutes * 60]);
    }
    if (strategy === 'LINEAR') {
      const step = defaults ? AWS.linear.stepPercent : num(linear.StepPercent, AWS.linear.stepPercent);
      const stepBake = defaults
        ? AWS.linear.stepBakeMinutes
        : num(linear.StepBakeTimeInMinutes, AWS.linear.stepBakeMinutes);
      const steps = Math.ceil(100 / step);
      parts.push([`NLB delay: ${steps - 1} more shifts`, (steps - 1) * AWS.nlbShiftDelay]);
      parts.push([`${steps - 1} step bakes`, (steps - 1) * stepBake * 60]);
    }
    parts.push(['NLB delay: production traffic shift', AWS.nlbShiftDelay], ['bake time', bake], ...oldGone);
  }
  return {
    strategy: strategy.toLowerCase().replace('_', '-'),
    seconds: parts.reduce((sum, [, s]) => sum + s, 0),
    parts,
  };
}

export const minutes = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
