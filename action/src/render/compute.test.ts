import { describe, expect, it } from '@jest/globals';
import { renderStack } from './index.js';
import { IMAGE_PARAMETER } from './template.js';
import { configOf, minimalInput, sampleInput, single } from '../../test-support/configs.js';

const statementsOf = (role: { Properties: Record<string, unknown> }) =>
  (
    (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[]
  ).flatMap((p) => p.PolicyDocument.Statement);

describe('compute', () => {
  const template = renderStack(configOf(minimalInput));
  const service = template.Resources.Service;

  it('never gives a task a public IP and keeps tasks in the private subnets', () => {
    expect(service.Properties!.NetworkConfiguration).toEqual({
      AwsvpcConfiguration: {
        AssignPublicIp: 'DISABLED',
        Subnets: [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }],
        SecurityGroups: [{ 'Fn::GetAtt': ['TaskSecurityGroup', 'GroupId'] }],
      },
    });
  });

  it('admits only the container port, only from the load balancer, never from a CIDR', () => {
    const fromLoadBalancer = [
      {
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] },
        Description: expect.any(String) as unknown,
      },
    ];
    expect(template.Resources.TaskSecurityGroup.Properties!.SecurityGroupIngress).toEqual(fromLoadBalancer);
    const existing = { vpcId: 'vpc-0abc0abc', privateSubnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb'] };
    const inExistingVpc = renderStack(configOf(minimalInput, { network: { existing } }));
    expect(inExistingVpc.Resources.TaskSecurityGroup.Properties!.SecurityGroupIngress).toEqual(fromLoadBalancer);
  });

  it('opens the interface endpoints to the tasks and to nothing else in the VPC', () => {
    const endpoints = renderStack(configOf(minimalInput, { network: { natGateways: 0 } }));
    expect(endpoints.Resources.EndpointSecurityGroup.Properties!.SecurityGroupIngress).toBeUndefined();
    expect(endpoints.Resources.EndpointIngressFromTasks.Properties).toMatchObject({
      GroupId: { 'Fn::GetAtt': ['EndpointSecurityGroup', 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': ['TaskSecurityGroup', 'GroupId'] },
    });
    expect(template.Resources.EndpointIngressFromTasks).toBeUndefined();
  });

  it('waits for the listener and rolls back a broken deployment', () => {
    expect(service.DependsOn).toContain('Listener');
    expect(service.Properties).toMatchObject({
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      HealthCheckGracePeriodSeconds: 60,
      DeploymentConfiguration: {
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      },
      LoadBalancers: [{ ContainerName: 'pubquiz', ContainerPort: 8080, TargetGroupArn: { Ref: 'TargetGroup' } }],
    });
  });

  it('with autoscaling leaves the count to a CPU target-tracking policy', () => {
    const scaled = renderStack(configOf(sampleInput));
    expect(scaled.Resources.Service.Properties!.DesiredCount).toBeUndefined();
    expect(single(scaled, 'AWS::ApplicationAutoScaling::ScalableTarget').Properties).toMatchObject({
      MinCapacity: 2,
      MaxCapacity: 6,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    expect(single(scaled, 'AWS::ApplicationAutoScaling::ScalingPolicy').Properties).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      },
    });
  });

  it('runs the image given as a stack parameter, on Fargate, sized and logged as configured', () => {
    const task = single(template, 'AWS::ECS::TaskDefinition').Properties;
    expect(task).toMatchObject({
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '256',
      Memory: '512',
    });
    expect(task.RuntimePlatform).toEqual({ OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' });
    const [container] = task.ContainerDefinitions as Record<string, unknown>[];
    expect(container.Image).toEqual({ Ref: IMAGE_PARAMETER });
    expect(container.LogConfiguration).toMatchObject({
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': { Ref: 'LogGroup' } },
    });
    expect(template.Resources.LogGroup.Properties!.RetentionInDays).toBe(30);
    expect(single(template, 'AWS::ECS::Cluster').Properties.ClusterSettings).toEqual([
      { Name: 'containerInsights', Value: 'enabled' },
    ]);
  });

  it('runs arm64 images on Graviton', () => {
    const arm = renderStack(configOf(minimalInput, { image: { platform: 'linux/arm64' } }));
    expect(single(arm, 'AWS::ECS::TaskDefinition').Properties.RuntimePlatform).toMatchObject({
      CpuArchitecture: 'ARM64',
    });
  });

  it('gives the execution role only what pulling, logging and the secrets need, and no managed policy', () => {
    const secrets = { DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' };
    const withSecrets = renderStack(configOf(minimalInput, { service: { port: 8080, secrets } }));
    const role = withSecrets.Resources.ExecutionRole as { Properties: Record<string, unknown> };
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = statementsOf(role);
    expect(statements.filter((s) => s.Resource === '*')).toEqual([
      expect.objectContaining({ Action: ['ecr:GetAuthorizationToken'] }),
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue'], Resource: [secrets.DB_PASSWORD] }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/pubquiz' },
      }),
    );
    const [container] = single(withSecrets, 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions as Record<
      string,
      unknown
    >[];
    expect(container.Secrets).toEqual([{ Name: 'DB_PASSWORD', ValueFrom: secrets.DB_PASSWORD }]);
  });

  it('grants a secret read by JSON key on the secret itself, and passes the key on to ECS', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';
    const parameter = 'arn:aws:ssm:eu-west-1:123456789012:parameter/quiz/db/host';
    const secrets = {
      DB_PASSWORD: `${secret}:password::`,
      DB_USER: `${secret}:username:AWSCURRENT:`,
      DB_HOST: parameter,
    };
    const rendered = renderStack(configOf(minimalInput, { service: { port: 8080, secrets } }));
    const statements = statementsOf(rendered.Resources.ExecutionRole as { Properties: Record<string, unknown> });
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue'], Resource: [secret] }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['ssm:GetParameters'], Resource: [parameter] }),
    );
    const [container] = single(rendered, 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions as Record<
      string,
      unknown
    >[];
    expect(container.Secrets).toContainEqual({ Name: 'DB_PASSWORD', ValueFrom: secrets.DB_PASSWORD });
  });

  it('gives the task role nothing when the app needs no AWS access', () => {
    expect(statementsOf(template.Resources.TaskRole as { Properties: Record<string, unknown> })).toEqual([]);
  });

  it('tells the container the stage prefix API Gateway may put in front of its paths, unless the config sets it', () => {
    const environmentOf = (t: typeof template) =>
      (
        t.Resources.TaskDefinition.Properties!.ContainerDefinitions as {
          Environment: { Name: string; Value: unknown }[];
        }[]
      )[0].Environment;
    expect(environmentOf(template)).toContainEqual({ Name: 'API_STAGE_PREFIX', Value: '/prod' });
    const staged = renderStack(configOf(minimalInput, { api: { stage: 'test' } }));
    expect(environmentOf(staged)).toContainEqual({ Name: 'API_STAGE_PREFIX', Value: '/test' });
    const off = renderStack(
      configOf({ ...minimalInput, service: { port: 8080, environment: { API_STAGE_PREFIX: '' } } }),
    );
    expect(environmentOf(off).filter((e) => e.Name === 'API_STAGE_PREFIX')).toEqual([
      { Name: 'API_STAGE_PREFIX', Value: '' },
    ]);
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prefix-AbCdEf';
    const fromSecret = renderStack(
      configOf({ ...minimalInput, service: { port: 8080, secrets: { API_STAGE_PREFIX: secret } } }),
    );
    expect((environmentOf(fromSecret) ?? []).map((e) => e.Name)).not.toContain('API_STAGE_PREFIX');
  });
});
