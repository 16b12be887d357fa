// The rollout part of the config: how ECS moves traffic to a new image (rolling, blue/green,
// canary, linear), the CloudWatch alarms that watch the API and roll a bad deployment back, and
// the dashboard. Ranges are ECS's own (DeploymentConfiguration, CanaryConfiguration,
// LinearConfiguration); the checks across fields say what ECS or CloudFormation would refuse.
import { z } from 'zod';
import type { Finding } from './checks.js';

export const strategies = ['rolling', 'blue-green', 'canary', 'linear'] as const;
export type Strategy = (typeof strategies)[number];

const minutes = z.number().int().min(0).max(1440);
/** ECS takes traffic percentages as multiples of 0.1. */
const tenths = (min: number) =>
  z
    .number()
    .min(min)
    .max(100)
    .refine((n) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9, 'must be a multiple of 0.1');

/** Fields of service.deployment that choose the strategy. */
export const strategyFields = {
  strategy: z
    .enum(strategies)
    .default('rolling')
    .describe(
      "rolling (replace tasks in place), blue-green (start the new revision beside the old, shift all traffic at once), canary (shift canary.percent, bake, then the rest) or linear (shift linear.stepPercent per step). All use ECS's own deployments; the last three keep the old tasks until bakeTimeMinutes has passed.",
    ),
  bakeTimeMinutes: minutes
    .optional()
    .describe(
      'blue-green, canary, linear: minutes both revisions keep running after all traffic moved, so the alarms can still roll back at once. Default 5.',
    ),
  canary: z
    .strictObject({
      percent: tenths(0.1).default(10).describe('Traffic the new revision gets first (0.1 to 100, steps of 0.1).'),
      bakeTimeMinutes: minutes.default(5).describe('Minutes the canary runs before the rest of the traffic moves.'),
    })
    .optional()
    .describe('strategy canary only.'),
  linear: z
    .strictObject({
      stepPercent: tenths(3).default(25).describe('Traffic moved per step (3 to 100, steps of 0.1).'),
      stepBakeTimeMinutes: minutes.default(2).describe('Minutes between two steps.'),
    })
    .optional()
    .describe('strategy linear only.'),
};

/** CloudFormation refuses a canary or linear deployment it computes to take over 33 hours (its limit is 36). */
export const CLOUDFORMATION_ROLLOUT_LIMIT_MINUTES = 33 * 60;

interface StrategyLike {
  strategy: Strategy;
  bakeTimeMinutes?: number;
  canary?: { percent: number; bakeTimeMinutes: number };
  linear?: { stepPercent: number; stepBakeTimeMinutes: number };
}

/** Settings given for another strategy, and schedules CloudFormation would refuse. Paths are relative to service.deployment. */
export function strategyFindings(d: StrategyLike, desiredCount: number): Finding[] {
  const findings: Finding[] = [];
  if (d.strategy === 'rolling' && d.bakeTimeMinutes !== undefined)
    findings.push({
      path: ['bakeTimeMinutes'],
      message: 'only applies to blue-green, canary and linear: a rolling deployment stops old tasks as it goes',
    });
  for (const key of ['canary', 'linear'] as const) {
    if (d[key] !== undefined && d.strategy !== key)
      findings.push({ path: [key], message: `only applies with strategy: ${key} (the strategy is ${d.strategy})` });
  }
  if (d.strategy !== 'rolling' && desiredCount === 0)
    findings.push({
      path: ['strategy'],
      message: `${d.strategy} needs at least one task: with desiredCount 0 there is nothing to shift traffic to`,
    });
  const total = plannedMinutes(d);
  if (total > CLOUDFORMATION_ROLLOUT_LIMIT_MINUTES)
    findings.push({
      path: [d.strategy === 'linear' ? 'linear' : d.strategy === 'canary' ? 'canary' : 'bakeTimeMinutes'],
      message: `the waits add up to ${total} minutes: CloudFormation refuses deployments over ${CLOUDFORMATION_ROLLOUT_LIMIT_MINUTES} minutes (33 hours)`,
    });
  return findings;
}

/** The minutes a strategy waits on purpose (bake times), as CloudFormation adds them up. */
export function plannedMinutes(d: StrategyLike): number {
  const bake = d.strategy === 'rolling' ? 0 : (d.bakeTimeMinutes ?? DEFAULT_BAKE_MINUTES);
  if (d.strategy === 'canary') return bake + (d.canary?.bakeTimeMinutes ?? 5);
  if (d.strategy === 'linear') {
    const step = d.linear?.stepPercent ?? 25;
    return bake + (Math.ceil(100 / step) - 1) * (d.linear?.stepBakeTimeMinutes ?? 2);
  }
  return bake;
}

export const DEFAULT_BAKE_MINUTES = 5;

const threshold = (min: number, max: number) => z.number().min(min).max(max);

export const alarms = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Create the alarms. Off: no alarms and no alarm-gated rollback.'),
    rollback: z
      .boolean()
      .optional()
      .describe(
        'ECS rolls a deployment back when the 5XX, latency or unhealthy-target alarm fires while it rolls out or bakes. Default: on when the alarms are.',
      ),
    snsTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN')
      .optional()
      .describe('SNS topic told when an alarm fires and when it clears.'),
    errorRatePercent: threshold(0.1, 100)
      .default(5)
      .describe('API Gateway 5XX responses, % of requests in a minute, that count as bad.'),
    latencyP99Ms: threshold(50, 29_000)
      .default(2000)
      .describe('API Gateway p99 latency (ms) in a minute that counts as bad (the integration timeout is 29 s).'),
    unhealthyTargets: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(1)
      .describe('Unhealthy load balancer targets that count as bad.'),
    evaluationMinutes: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(3)
      .describe('Minutes each alarm looks at; it fires when datapointsToAlarm of them are bad.'),
    datapointsToAlarm: z.number().int().min(1).max(60).default(2).describe('Bad minutes out of evaluationMinutes.'),
  })
  .superRefine((a, ctx) => {
    if (a.datapointsToAlarm > a.evaluationMinutes)
      ctx.addIssue({
        code: 'custom',
        path: ['datapointsToAlarm'],
        message: `${a.datapointsToAlarm} is more than evaluationMinutes (${a.evaluationMinutes})`,
      });
    if (a.rollback === true && !a.enabled)
      ctx.addIssue({
        code: 'custom',
        path: ['rollback'],
        message: 'needs the alarms (enabled: true); set rollback: false too to go without both',
      });
  })
  .transform((a) => ({ ...a, rollback: a.rollback ?? a.enabled }))
  .prefault({})
  .describe(
    'CloudWatch alarms on the API (5XX rate, p99 latency), the load balancer (unhealthy targets), the service (running below desired) and the table (throttles). A quiet API never alarms: missing data counts as fine.',
  );

export const dashboard = z
  .boolean()
  .default(true)
  .describe('A CloudWatch dashboard of the stack: requests, errors, latency, targets, CPU/memory, tasks, rollouts.');
