import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../config/schema.js';
import { renderStack } from './index.js';
import { configOf, minimalInput, sampleInput } from '../../test-support/configs.js';

const deploymentOf = (template: ReturnType<typeof renderStack>) =>
  template.Resources.Service.Properties!.DeploymentConfiguration as Record<string, unknown>;
const withDeployment = (deployment: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  configOf(minimalInput, { service: { port: 8080, deployment }, ...extra });

describe('rollouts', () => {
  it('rolls by default, next to the circuit breaker, and rolls back when a gating alarm fires', () => {
    const template = renderStack(configOf(minimalInput));
    const deployment = deploymentOf(template);
    expect(deployment.Strategy).toBeUndefined();
    expect(deployment.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(deployment.Alarms).toEqual({
      AlarmNames: [
        { 'Fn::Sub': '${AWS::StackName}-api-5xx-rate' },
        { 'Fn::Sub': '${AWS::StackName}-api-latency-p99' },
        { 'Fn::Sub': '${AWS::StackName}-unhealthy-targets' },
      ],
      Enable: true,
      Rollback: true,
    });
    // ECS looks the alarms up when a deployment starts.
    expect(template.Resources.Service.DependsOn).toEqual(
      expect.arrayContaining(['ApiErrorRateAlarm', 'ApiLatencyAlarm', 'UnhealthyTargetsAlarm']),
    );
    expect(template.Resources.AlternateTargetGroup).toBeUndefined();
  });

  it('never alarms on a quiet API, and tells the SNS topic when one is given', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:alarms';
    const template = renderStack(configOf(sampleInput, { alarms: { snsTopicArn: topic } }));
    const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(5); // with the table: throttles too
    for (const alarm of alarms) {
      expect(alarm.Properties!.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties!.AlarmActions).toEqual([topic]);
    }
    expect(template.Resources.ApiErrorRateAlarm.Properties).toMatchObject({ Threshold: 0.05, Statistic: 'Average' });
    expect(template.Resources.ApiLatencyAlarm.Properties).toMatchObject({ Threshold: 2000, ExtendedStatistic: 'p99' });
  });

  it('leaves alarms and rollback out when turned off, and keeps alarms without rollback', () => {
    const off = renderStack(configOf(minimalInput, { alarms: { enabled: false } }));
    expect(deploymentOf(off).Alarms).toBeUndefined();
    expect(Object.values(off.Resources).some((r) => r.Type === 'AWS::CloudWatch::Alarm')).toBe(false);
    const watchOnly = renderStack(configOf(minimalInput, { alarms: { rollback: false } }));
    expect(deploymentOf(watchOnly).Alarms).toBeUndefined();
    expect(watchOnly.Resources.ApiErrorRateAlarm).toBeDefined();
  });

  it('blue/green shifts traffic between two target groups through the listener, with a bake time', () => {
    const template = renderStack(withDeployment({ strategy: 'blue-green', bakeTimeMinutes: 7 }));
    expect(deploymentOf(template)).toMatchObject({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 7 });
    const [target] = template.Resources.Service.Properties!.LoadBalancers as Record<string, unknown>[];
    expect(target.AdvancedConfiguration).toEqual({
      AlternateTargetGroupArn: { Ref: 'AlternateTargetGroup' },
      ProductionListenerRule: { Ref: 'Listener' },
      RoleArn: { 'Fn::GetAtt': ['EcsInfrastructureRole', 'Arn'] },
    });
    // Same health check on both sides, or the new revision is judged differently.
    expect(template.Resources.AlternateTargetGroup.Properties).toEqual(template.Resources.TargetGroup.Properties);
    const role = JSON.stringify(template.Resources.EcsInfrastructureRole.Properties);
    expect(role).toContain('ecs.amazonaws.com');
    expect(role).toContain('elasticloadbalancing:ModifyListener');
    // The unhealthy-targets alarm watches both target groups.
    expect(JSON.stringify(template.Resources.UnhealthyTargetsAlarm.Properties)).toContain('AlternateTargetGroup');
  });

  it('canary and linear carry their traffic steps', () => {
    const canary = renderStack(withDeployment({ strategy: 'canary', canary: { percent: 5, bakeTimeMinutes: 3 } }));
    expect(deploymentOf(canary)).toMatchObject({
      Strategy: 'CANARY',
      BakeTimeInMinutes: 5,
      CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 3 },
    });
    const linear = renderStack(withDeployment({ strategy: 'linear' }));
    expect(deploymentOf(linear)).toMatchObject({
      Strategy: 'LINEAR',
      LinearConfiguration: { StepPercent: 25, StepBakeTimeInMinutes: 2 },
    });
  });

  it('puts a dashboard in the stack and its URL in the outputs', () => {
    const template = renderStack(configOf(sampleInput));
    expect(template.Resources.Dashboard.Type).toBe('AWS::CloudWatch::Dashboard');
    expect(JSON.stringify(template.Outputs!.DashboardUrl.Value)).toContain('#dashboards/dashboard/${Dashboard}');
    const [body] = (template.Resources.Dashboard.Properties!.DashboardBody as { 'Fn::Sub': [string, unknown] })[
      'Fn::Sub'
    ];
    const titles = (JSON.parse(body) as { widgets: { properties: { title: string } }[] }).widgets.map(
      (w) => w.properties.title,
    );
    expect(titles).toEqual(
      expect.arrayContaining(['Requests and errors', 'Latency (ms)', 'Load balancer targets', 'Tasks and rollouts']),
    );
    expect(renderStack(configOf(minimalInput, { dashboard: false })).Outputs!.DashboardUrl).toBeUndefined();
  });
});

describe('rollout settings that ECS or CloudFormation would refuse', () => {
  const problems = (service: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const result = configSchema.safeParse({ name: 'quiz', service: { port: 8080, ...service }, ...extra });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('names settings given for another strategy, all at once', () => {
    expect(problems({ deployment: { bakeTimeMinutes: 3, canary: { percent: 5 } } })).toEqual([
      expect.stringMatching(/^service\.deployment\.bakeTimeMinutes: only applies to blue-green, canary and linear/),
      'service.deployment.canary: only applies with strategy: canary (the strategy is rolling)',
    ]);
  });

  it('refuses a traffic-shifting strategy without tasks, and percentages ECS does not take', () => {
    expect(problems({ desiredCount: 0, deployment: { strategy: 'blue-green' } })).toEqual([
      expect.stringMatching(/^service\.deployment\.strategy: blue-green needs at least one task/),
    ]);
    expect(problems({ deployment: { strategy: 'linear', linear: { stepPercent: 2 } } })).toEqual([
      expect.stringMatching(/^service\.deployment\.linear\.stepPercent: /),
    ]);
    expect(problems({ deployment: { strategy: 'canary', canary: { percent: 5.05 } } })).toEqual([
      'service.deployment.canary.percent: must be a multiple of 0.1',
    ]);
  });

  it('refuses bake times past what CloudFormation waits for', () => {
    expect(
      problems({
        deployment: {
          strategy: 'linear',
          bakeTimeMinutes: 1440,
          linear: { stepPercent: 10, stepBakeTimeMinutes: 120 },
        },
      }),
    ).toEqual([expect.stringMatching(/^service\.deployment\.linear: the waits add up to 2520 minutes/)]);
    expect(problems({ deployment: { strategy: 'blue-green', bakeTimeMinutes: 1441 } })).toHaveLength(1);
  });

  it('refuses rollback without alarms, and more bad minutes than minutes looked at', () => {
    expect(problems({}, { alarms: { enabled: false, rollback: true, datapointsToAlarm: 4 } })).toEqual([
      'alarms.datapointsToAlarm: 4 is more than evaluationMinutes (3)',
      expect.stringMatching(/^alarms\.rollback: needs the alarms/),
    ]);
  });
});
