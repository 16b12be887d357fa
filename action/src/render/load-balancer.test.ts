import { describe, expect, it } from '@jest/globals';
import { renderStack } from './index.js';
import { configOf, minimalInput, single } from '../../test-support/configs.js';

describe('load balancer', () => {
  const template = renderStack(configOf(minimalInput));

  it('is an internal NLB in the private subnets, with cross-zone on', () => {
    const lb = single(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties;
    expect(lb).toMatchObject({
      Type: 'network',
      Scheme: 'internal',
      Subnets: [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }],
    });
    expect(lb.LoadBalancerAttributes).toContainEqual({ Key: 'load_balancing.cross_zone.enabled', Value: 'true' });
  });

  it('admits only the v2 VPC link, and filters PrivateLink traffic unless a v1 link needs it', () => {
    const lb = single(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties;
    expect(lb.SecurityGroups).toEqual([{ Ref: 'LoadBalancerSecurityGroup' }]);
    expect(lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic).toBe('on');
    expect(single(template, 'AWS::EC2::SecurityGroupIngress').Properties).toMatchObject({
      GroupId: { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] },
      FromPort: 80,
      ToPort: 80,
      SourceSecurityGroupId: { 'Fn::GetAtt': ['VpcLinkSecurityGroup', 'GroupId'] },
    });
    const v1 = renderStack(configOf(minimalInput, { api: { vpcLink: 'v1' } }));
    const v1Lb = single(v1, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties;
    expect(v1Lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic).toBe('off');
    // A v1 link arrives over PrivateLink, which no security group rule can name: the group stays closed.
    expect(v1.Resources.LoadBalancerSecurityGroup.Properties!.SecurityGroupIngress).toBeUndefined();
  });

  it('health-checks the app path over HTTP with the tuned values, and drains quickly', () => {
    const tg = single(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties;
    expect(tg).toMatchObject({
      TargetType: 'ip',
      Protocol: 'TCP',
      Port: 8080,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
    });
    expect(tg.HealthCheckTimeoutSeconds as number).toBeLessThan(tg.HealthCheckIntervalSeconds as number);
    expect(tg.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '10' });
  });

  it('follows the deployment settings of the config', () => {
    const tuned = renderStack(
      configOf(minimalInput, {
        service: {
          port: 3000,
          healthCheckPath: '/ready',
          deployment: { deregistrationDelay: 30, healthCheckInterval: 5, healthyThreshold: 3 },
        },
      }),
    );
    const tg = single(tuned, 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties;
    expect(tg).toMatchObject({
      Port: 3000,
      HealthCheckPath: '/ready',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 4,
      HealthyThresholdCount: 3,
    });
    expect(tg.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '30' });
  });

  it('forwards a TCP listener to the target group', () => {
    expect(single(template, 'AWS::ElasticLoadBalancingV2::Listener').Properties).toMatchObject({
      Protocol: 'TCP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } }],
    });
  });

  it('leaves the names to CloudFormation (32-character limit, replacements)', () => {
    expect(single(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties.Name).toBeUndefined();
    expect(single(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties.Name).toBeUndefined();
  });
});
