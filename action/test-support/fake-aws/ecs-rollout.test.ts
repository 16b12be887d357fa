import { describe, expect, it } from '@jest/globals';
import { rolloutAt, rolloutEndMs, rolloutPlan } from './ecs-rollout.js';

const plan = (configuration: Record<string, unknown>) =>
  rolloutPlan({
    DeploymentConfiguration: {
      Alarms: { AlarmNames: ['quiz-api-5xx-rate'], Enable: true, Rollback: true },
      ...configuration,
    },
  });

describe('a scripted ECS service deployment', () => {
  it('moves a canary through its stages: scale up, the canary share, all traffic, bake, clean up', () => {
    const canary = plan({ Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 10 } });
    const at = (ms: number) => rolloutAt(canary, { durationMs: 1000 }, 2, 0, ms);
    expect([100, 300, 600, 950, 1000].map((ms) => [at(ms).lifecycleStage, at(ms).traffic, at(ms).status])).toEqual([
      ['SCALE_UP', 0, 'IN_PROGRESS'],
      ['PRODUCTION_TRAFFIC_SHIFT', 10, 'IN_PROGRESS'],
      ['BAKE_TIME', 100, 'IN_PROGRESS'],
      ['CLEAN_UP', 100, 'IN_PROGRESS'],
      ['CLEAN_UP', 100, 'SUCCESSFUL'],
    ]);
  });

  it('rolls back when a watched alarm fires, and CloudFormation sees the service fail after the rollback', () => {
    const rolling = plan({});
    const scenario = { durationMs: 1000, alarm: { name: 'api-5xx-rate', atMs: 400 } };
    expect(rolloutAt(rolling, scenario, 2, 0, 500)).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS',
      triggered: ['quiz-api-5xx-rate'],
      traffic: 0,
    });
    expect(rolloutAt(rolling, scenario, 2, 0, 800).status).toBe('ROLLBACK_SUCCESSFUL');
    expect(rolloutEndMs(rolling, scenario)).toEqual({ afterMs: 700, rolledBack: true });
    // An alarm ECS does not watch changes nothing.
    const other = { durationMs: 1000, alarm: { name: 'table-throttles', atMs: 400 } };
    expect(rolloutAt(rolling, other, 2, 0, 1000).status).toBe('SUCCESSFUL');
    expect(rolloutEndMs(rolling, other)).toEqual({ afterMs: 1000, rolledBack: false });
    // As CloudFormation schedules the update, the names are not substituted yet.
    const unresolved = rolloutPlan({
      DeploymentConfiguration: {
        Alarms: { AlarmNames: [{ 'Fn::Sub': '${AWS::StackName}-api-5xx-rate' }], Enable: true, Rollback: true },
      },
    });
    expect(rolloutEndMs(unresolved, scenario).rolledBack).toBe(true);
  });
});
