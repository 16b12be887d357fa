// The load balancer layer: an internal Network Load Balancer in the private subnets, an IP target
// group the ECS service registers its tasks in, and a TCP listener. Names are left to
// CloudFormation: load balancer and target group names are limited to 32 characters, and a fixed
// name blocks every update that needs a replacement.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import type { NetworkRefs } from './network.js';
import { getAtt, ref, type Resources } from './intrinsics.js';

/** The port API Gateway talks to; the listener forwards it to the container port. */
export const LISTENER_PORT = 80;

export interface LoadBalancerRefs {
  /** Logical id: the alarms and the dashboard name it in metric dimensions. */
  logicalId: string;
  arn: Value;
  dnsName: Value;
  /** The load balancer's security group: what the tasks and the VPC link are opened to/from. */
  securityGroupId: Value;
  listenerPort: number;
  /** Logical id of the listener: the ECS service must wait for it. */
  listenerId: string;
  targetGroupArn: Value;
}

export interface LoadBalancerLayer {
  resources: Resources;
  loadBalancer: LoadBalancerRefs;
}

export function renderLoadBalancer(config: Config, network: NetworkRefs): LoadBalancerLayer {
  const { service } = config;
  const { deployment } = service;
  const resources: Resources = {
    // No inline ingress: whoever needs to reach the load balancer (the v2 VPC link) adds a rule.
    LoadBalancerSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'Internal NLB in front of the service', VpcId: network.vpcId },
    },
    LoadBalancer: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'network',
        Scheme: 'internal',
        Subnets: network.privateSubnetIds,
        // Security groups can only be given to an NLB when it is created, so it gets one now.
        SecurityGroups: [ref('LoadBalancerSecurityGroup')],
        // A v1 link reaches the NLB over PrivateLink, which the group would drop (it has no rule a
        // PrivateLink source can match). A v2 link's ENIs carry their own security group, which the
        // group admits; anything else, PrivateLink included, is dropped.
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: config.api.vpcLink === 'v1' ? 'off' : 'on',
        // Off by default: with one task and two AZs, half the requests would find no target.
        LoadBalancerAttributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
      },
    },
    TargetGroup: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        TargetType: 'ip',
        Protocol: 'TCP',
        Port: service.port,
        VpcId: network.vpcId,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: service.healthCheckPath,
        HealthCheckIntervalSeconds: deployment.healthCheckInterval,
        // The timeout must be shorter than the interval.
        HealthCheckTimeoutSeconds: Math.min(6, deployment.healthCheckInterval - 1),
        HealthyThresholdCount: deployment.healthyThreshold,
        UnhealthyThresholdCount: deployment.unhealthyThreshold,
        Matcher: { HttpCode: '200-399' },
        // 300 s by default: every deployment would wait five minutes for old tasks to drain.
        TargetGroupAttributes: [
          { Key: 'deregistration_delay.timeout_seconds', Value: String(deployment.deregistrationDelay) },
        ],
      },
    },
    Listener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: ref('LoadBalancer'),
        Port: LISTENER_PORT,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('TargetGroup') }],
      },
    },
  };
  return {
    resources,
    loadBalancer: {
      logicalId: 'LoadBalancer',
      arn: ref('LoadBalancer'),
      dnsName: getAtt('LoadBalancer', 'DNSName'),
      securityGroupId: getAtt('LoadBalancerSecurityGroup', 'GroupId'),
      listenerPort: LISTENER_PORT,
      listenerId: 'Listener',
      targetGroupArn: ref('TargetGroup'),
    },
  };
}
