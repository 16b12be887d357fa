// How one ECS service deployment unfolds in the fake, derived from the clock: the lifecycle
// stages of ECS's rolling, blue/green, canary and linear deployments squeezed into the scenario's
// `rollout.durationMs`, the new and old revisions' task counts, the production traffic on the new
// revision, the alarms ECS watches and, when the scenario fires one, the rollback.
import type { Json } from './template.js';

/** A rollback takes this share of the scripted duration. */
const ROLLBACK_SHARE = 0.3;

export interface RolloutScenario {
  /** Scripted length of a deployment, scale-up to clean-up (0: done at once). */
  durationMs: number;
  /** An alarm (matched by the end of its name) fires this long into the deployment; ECS then rolls back. */
  alarm?: { name: string; atMs: number; value?: number } | null;
}

export interface RolloutPlan {
  strategy: 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
  bakeTimeInMinutes?: number;
  canaryPercent: number;
  stepPercent: number;
  alarmNames: string[];
  alarmRollback: boolean;
}

export interface RolloutSnapshot {
  status: string;
  lifecycleStage: string;
  /** Tasks of the new revision running, and of the old one. */
  newRunning: number;
  newPending: number;
  oldRunning: number;
  /** % of production traffic on the new revision. */
  traffic: number;
  triggered: string[];
  rollbackAt?: number;
  finishedAt?: number;
}

export function rolloutPlan(properties: Record<string, Json>): RolloutPlan {
  const config = (properties.DeploymentConfiguration ?? {}) as Record<string, Json>;
  const alarms = (config.Alarms ?? {}) as Record<string, Json>;
  const canary = (config.CanaryConfiguration ?? {}) as Record<string, Json>;
  const linear = (config.LinearConfiguration ?? {}) as Record<string, Json>;
  return {
    strategy: (config.Strategy as RolloutPlan['strategy'] | undefined) ?? 'ROLLING',
    bakeTimeInMinutes: config.BakeTimeInMinutes === undefined ? undefined : Number(config.BakeTimeInMinutes),
    canaryPercent: Number(canary.CanaryPercent ?? 5),
    stepPercent: Number(linear.StepPercent ?? 10),
    // Evaluated names, or (as CloudFormation schedules the update) `${AWS::StackName}-…` still to substitute.
    alarmNames: ((alarms.AlarmNames as Json[] | undefined) ?? []).map((name) => {
      if (typeof name === 'string') return name;
      const template = (name as Record<string, Json> | null)?.['Fn::Sub'];
      return typeof template === 'string' ? template : '';
    }),
    alarmRollback: alarms.Enable === true && alarms.Rollback === true,
  };
}

/** Fractions of the duration at which each stage starts, per strategy. */
function stages(plan: RolloutPlan): [number, string][] {
  if (plan.strategy === 'ROLLING')
    return [
      [0, 'SCALE_UP'],
      [0.5, 'CLEAN_UP'],
    ];
  const shift: [number, string][] =
    plan.strategy === 'BLUE_GREEN' ? [[0.3, 'PRODUCTION_TRAFFIC_SHIFT']] : [[0.2, 'PRODUCTION_TRAFFIC_SHIFT']];
  return [[0, 'SCALE_UP'], ...shift, [0.5, 'BAKE_TIME'], [0.9, 'CLEAN_UP']];
}

function trafficAt(plan: RolloutPlan, f: number): number {
  if (plan.strategy === 'ROLLING') return f >= 0.5 ? 100 : Math.round(f * 200);
  if (plan.strategy === 'BLUE_GREEN') return f >= 0.3 ? 100 : 0;
  if (f < 0.2) return 0;
  if (f >= 0.5) return 100;
  if (plan.strategy === 'CANARY') return plan.canaryPercent;
  const steps = Math.floor(((f - 0.2) / 0.3) * Math.ceil(100 / plan.stepPercent)) + 1;
  return Math.min(100, Math.round(steps * plan.stepPercent * 10) / 10);
}

export function rolloutAt(
  plan: RolloutPlan,
  scenario: RolloutScenario,
  desired: number,
  startedAt: number,
  now: number,
): RolloutSnapshot {
  const duration = Math.max(scenario.durationMs, 1);
  const alarm = scenario.alarm ?? undefined;
  const triggeredName = alarm && plan.alarmNames.find((name) => name.endsWith(alarm.name));
  const rollbackAt = triggeredName && plan.alarmRollback ? startedAt + alarm.atMs : undefined;
  const upTo = rollbackAt !== undefined ? Math.min(now, rollbackAt) : now;
  const f = Math.min(1, (upTo - startedAt) / duration);
  const stage = stages(plan)
    .filter(([at]) => f >= at)
    .at(-1)![1];
  const scaled = Math.min(desired, Math.ceil((f / 0.2) * desired));
  const snapshot: RolloutSnapshot = {
    status: f >= 1 ? 'SUCCESSFUL' : 'IN_PROGRESS',
    lifecycleStage: stage,
    newRunning: plan.strategy === 'ROLLING' ? Math.min(desired, Math.floor(f * 2 * desired)) : scaled,
    newPending: 0,
    oldRunning: stage === 'CLEAN_UP' ? Math.max(0, Math.round(desired * (1 - f) * 2)) : desired,
    traffic: trafficAt(plan, f),
    triggered: triggeredName && now >= startedAt + alarm.atMs ? [triggeredName] : [],
    finishedAt: f >= 1 ? startedAt + duration : undefined,
  };
  snapshot.newPending = Math.max(0, Math.min(desired - snapshot.newRunning, 1));
  if (f >= 1) snapshot.oldRunning = 0;
  if (rollbackAt !== undefined && now >= rollbackAt) {
    const done = now >= rollbackAt + duration * ROLLBACK_SHARE;
    return {
      ...snapshot,
      status: done ? 'ROLLBACK_SUCCESSFUL' : 'ROLLBACK_IN_PROGRESS',
      lifecycleStage: done ? 'CLEAN_UP' : 'RECONCILE_SERVICE',
      newRunning: done ? 0 : snapshot.newRunning,
      newPending: 0,
      oldRunning: desired,
      traffic: 0,
      rollbackAt,
      finishedAt: done ? rollbackAt + duration * ROLLBACK_SHARE : undefined,
    };
  }
  return snapshot;
}

/** When CloudFormation sees the service resource end: after the deployment, or after the rollback an alarm caused. */
export function rolloutEndMs(plan: RolloutPlan, scenario: RolloutScenario): { afterMs: number; rolledBack: boolean } {
  const alarm = scenario.alarm ?? undefined;
  const watched = alarm && plan.alarmNames.some((name) => name.endsWith(alarm.name));
  if (alarm && watched && plan.alarmRollback && alarm.atMs < scenario.durationMs)
    return { afterMs: alarm.atMs + scenario.durationMs * ROLLBACK_SHARE, rolledBack: true };
  return { afterMs: scenario.durationMs, rolledBack: false };
}
