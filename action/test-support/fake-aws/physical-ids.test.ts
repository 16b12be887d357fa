import { describe, expect, it } from '@jest/globals';
import { attribute, physicalId } from './physical-ids.js';

const account = { accountId: '123456789012', region: 'eu-west-1' };

describe('physical ids', () => {
  it('look like the ones AWS hands out, and honour explicit names', () => {
    expect(physicalId('AWS::EC2::VPC', 'Vpc', 'app', {}, account)).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(physicalId('AWS::ApiGateway::RestApi', 'Api', 'app', {}, account)).toMatch(/^[a-z0-9]{10}$/);
    expect(physicalId('AWS::ECS::Cluster', 'Cluster', 'app', {}, account)).toMatch(/^app-Cluster-[A-Z0-9]{12}$/);
    expect(physicalId('AWS::ECS::Cluster', 'Cluster', 'app', { ClusterName: 'quiz' }, account)).toBe('quiz');
    expect(physicalId('AWS::ECS::Service', 'Service', 'app', { Cluster: 'quiz', ServiceName: 'api' }, account)).toBe(
      'arn:aws:ecs:eu-west-1:123456789012:service/quiz/api',
    );
  });

  it('make a replaced task definition the next revision of its family', () => {
    const first = physicalId('AWS::ECS::TaskDefinition', 'Task', 'app', { Family: 'quiz' }, account);
    expect(first).toBe('arn:aws:ecs:eu-west-1:123456789012:task-definition/quiz:1');
    expect(physicalId('AWS::ECS::TaskDefinition', 'Task', 'app', { Family: 'quiz' }, account, first)).toBe(
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/quiz:2',
    );
  });

  it('give load balancers DNS names and ARNs of the right shape', () => {
    const arn = physicalId('AWS::ElasticLoadBalancingV2::LoadBalancer', 'Nlb', 'app', {}, account);
    expect(arn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/net\/app-NLB-[A-Z0-9]{6}\/[0-9a-f]{16}$/,
    );
    expect(attribute('AWS::ElasticLoadBalancingV2::LoadBalancer', arn, 'DNSName', {}, account)).toMatch(
      /^app-NLB-[A-Z0-9]{6}-[0-9a-f]{16}\.elb\.eu-west-1\.amazonaws\.com$/,
    );
    expect(attribute('AWS::ElasticLoadBalancingV2::LoadBalancer', arn, 'LoadBalancerArn', {}, account)).toBe(arn);
    expect(attribute('AWS::IAM::Role', 'app-Role-X', 'Arn', {}, account)).toBe(
      'arn:aws:iam::123456789012:role/app-Role-X',
    );
  });
});
