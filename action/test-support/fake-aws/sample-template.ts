// A small template of the architecture's shape (network, cluster, task, NLB, service, REST API
// with one open route, GET /health) for stacks that scenarios seed and for this server's own
// tests. The renderer's real output works just as well; this one only has to be plausible and short.
import type { Json } from './template.js';

export function sampleTemplate(options: { extraResources?: Record<string, Json>; taskCpu?: string } = {}): string {
  const ref = (name: string) => ({ Ref: name });
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Private Fargate API (sample)',
    Parameters: { ImageUri: { Type: 'String' }, Environment: { Type: 'String', Default: 'production' } },
    Resources: {
      Vpc: {
        Type: 'AWS::EC2::VPC',
        Properties: { CidrBlock: '10.0.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true },
      },
      PrivateSubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc'), CidrBlock: '10.0.2.0/24' } },
      TaskSecurityGroup: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'tasks', VpcId: ref('Vpc') },
      },
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
      LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
      ExecutionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      },
      TaskDefinition: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'app',
          Cpu: options.taskCpu ?? '256',
          Memory: '512',
          NetworkMode: 'awsvpc',
          RequiresCompatibilities: ['FARGATE'],
          ExecutionRoleArn: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
          ContainerDefinitions: [{ Name: 'app', Image: ref('ImageUri'), PortMappings: [{ ContainerPort: 8080 }] }],
        },
      },
      LoadBalancer: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Type: 'network', Scheme: 'internal', Subnets: [ref('PrivateSubnetA')] },
      },
      TargetGroup: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Port: 8080, Protocol: 'TCP', TargetType: 'ip', VpcId: ref('Vpc') },
      },
      Listener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: ref('LoadBalancer'),
          Port: 80,
          Protocol: 'TCP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('TargetGroup') }],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        DependsOn: 'Listener',
        Properties: {
          Cluster: ref('Cluster'),
          TaskDefinition: ref('TaskDefinition'),
          DesiredCount: 1,
          LaunchType: 'FARGATE',
          LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: ref('TargetGroup') }],
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: [ref('PrivateSubnetA')],
              SecurityGroups: [ref('TaskSecurityGroup')],
            },
          },
        },
      },
      RestApi: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'api', EndpointConfiguration: { Types: ['REGIONAL'] } },
      },
      HealthResource: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          RestApiId: ref('RestApi'),
          ParentId: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] },
          PathPart: 'health',
        },
      },
      HealthGetMethod: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: ref('RestApi'),
          ResourceId: ref('HealthResource'),
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          Integration: { Type: 'MOCK' },
        },
      },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: ref('RestApi'), StageName: 'prod' } },
      ...options.extraResources,
    },
    Outputs: {
      ApiUrl: { Value: { 'Fn::Sub': 'https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}/' } },
      ClusterName: { Value: ref('Cluster') },
      ServiceName: { Value: { 'Fn::GetAtt': ['Service', 'Name'] } },
      LogGroupName: { Value: ref('LogGroup') },
      LoadBalancerDnsName: { Value: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] } },
    },
  };
  return JSON.stringify(template, null, 2);
}
