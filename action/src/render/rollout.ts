// How ECS rolls a new image out: its rolling deployment, or its own blue/green, canary and linear
// deployments. Those start the new revision in a second target group beside the old one and move
// the NLB listener's traffic over, which needs an alternate target group (a copy of the first)
// and an infrastructure role ECS assumes to register targets and change the listener.
import type { Config } from '../config/schema.js';
import { DEFAULT_BAKE_MINUTES, type Strategy } from '../config/rollout.js';
import type { Value } from './template.js';
import type { LoadBalancerRefs } from './load-balancer.js';
import { GATE_ALARMS, gateAlarmNames } from './alarms.js';
import { allow, getAtt, ref, serviceRole, type Resources } from './intrinsics.js';

export const ECS_STRATEGY: Record<Strategy, string> = {
  rolling: 'ROLLING',
  'blue-green': 'BLUE_GREEN',
  canary: 'CANARY',
  linear: 'LINEAR',
};

export interface RolloutRefs {
  /** Merged into the service's DeploymentConfiguration. */
  deploymentConfiguration: Record<string, Value>;
  /** The load balancer entry's AdvancedConfiguration (traffic-shifting strategies only). */
  advancedConfiguration?: Value;
  /** What the service waits for: ECS looks the gating alarms up when a deployment starts. */
  dependsOn: string[];
  /** Every target group the service's tasks can be in. */
  targetGroupIds: string[];
}

export interface RolloutLayer {
  resources: Resources;
  rollout: RolloutRefs;
}

/** `loadBalancerResources` are the load balancer layer's, so the alternate target group copies the rendered one. */
export function renderRollout(
  config: Config,
  loadBalancerResources: Resources,
  loadBalancer: LoadBalancerRefs,
): RolloutLayer {
  const { deployment } = config.service;
  const alarmNames = gateAlarmNames(config);
  const deploymentConfiguration: Record<string, Value> = {};
  if (alarmNames.length > 0) deploymentConfiguration.Alarms = { AlarmNames: alarmNames, Enable: true, Rollback: true };
  const dependsOn = alarmNames.length > 0 ? [...GATE_ALARMS] : [];
  const targetGroupId = 'TargetGroup';
  if (deployment.strategy === 'rolling') {
    return { resources: {}, rollout: { deploymentConfiguration, dependsOn, targetGroupIds: [targetGroupId] } };
  }

  deploymentConfiguration.Strategy = ECS_STRATEGY[deployment.strategy];
  deploymentConfiguration.BakeTimeInMinutes = deployment.bakeTimeMinutes ?? DEFAULT_BAKE_MINUTES;
  if (deployment.strategy === 'canary') {
    const canary = deployment.canary ?? { percent: 10, bakeTimeMinutes: 5 };
    deploymentConfiguration.CanaryConfiguration = {
      CanaryPercent: canary.percent,
      CanaryBakeTimeInMinutes: canary.bakeTimeMinutes,
    };
  }
  if (deployment.strategy === 'linear') {
    const linear = deployment.linear ?? { stepPercent: 25, stepBakeTimeMinutes: 2 };
    deploymentConfiguration.LinearConfiguration = {
      StepPercent: linear.stepPercent,
      StepBakeTimeInMinutes: linear.stepBakeTimeMinutes,
    };
  }

  const primary = loadBalancerResources[targetGroupId];
  if (!primary) throw new Error(`the load balancer layer renders no ${targetGroupId} to copy`);
  const alternateId = 'AlternateTargetGroup';
  const resources: Resources = {
    // Same port, protocol and health check: ECS moves the new revision's tasks between the two.
    [alternateId]: structuredClone(primary),
    EcsInfrastructureRole: serviceRole('ecs.amazonaws.com', [
      {
        name: 'shift-traffic',
        statements: [
          // Describe calls have no resource-level permissions.
          allow(
            [
              'elasticloadbalancing:DescribeListeners',
              'elasticloadbalancing:DescribeRules',
              'elasticloadbalancing:DescribeTargetGroups',
              'elasticloadbalancing:DescribeTargetHealth',
            ],
            '*',
          ),
          allow(
            ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
            [loadBalancer.targetGroupArn, ref(alternateId)],
          ),
          allow(['elasticloadbalancing:ModifyListener'], ref(loadBalancer.listenerId)),
        ],
      },
    ]),
  };
  return {
    resources,
    rollout: {
      deploymentConfiguration,
      advancedConfiguration: {
        AlternateTargetGroupArn: ref(alternateId),
        // For an NLB, ECS takes the listener itself (an ALB would take a listener rule).
        ProductionListenerRule: ref(loadBalancer.listenerId),
        RoleArn: getAtt('EcsInfrastructureRole', 'Arn'),
      },
      dependsOn,
      targetGroupIds: [targetGroupId, alternateId],
    },
  };
}
