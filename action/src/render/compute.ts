// The compute layer: the ECS cluster, the task definition with its two roles and log group, the
// tasks' security group, the Fargate service registered in the load balancer's target group, and
// optional target-tracking autoscaling.
import type { Config } from '../config/schema.js';
import type { Resource, Value } from './template.js';
import { IMAGE_PARAMETER } from './template.js';
import type { NetworkRefs } from './network.js';
import type { LoadBalancerRefs } from './load-balancer.js';
import type { StorageRefs } from './storage.js';
import type { RolloutRefs } from './rollout.js';
import { allow, getAtt, ref, serviceRole, sub, type Resources } from './intrinsics.js';
import { stagePrefixEnvironment } from './stage-prefix.js';

export interface ComputeRefs {
  clusterName: Value;
  serviceName: Value;
  logGroupName: Value;
}

export interface ComputeLayer {
  resources: Resources;
  compute: ComputeRefs;
}

export interface ComputeInputs {
  network: NetworkRefs;
  loadBalancer: LoadBalancerRefs;
  storage: StorageRefs;
  /** Strategy, alarm-gated rollback and traffic shifting (render/rollout.ts). */
  rollout?: RolloutRefs;
}

export function renderCompute(
  config: Config,
  { network, loadBalancer, storage, rollout }: ComputeInputs,
): ComputeLayer {
  const resources: Resources = {
    Cluster: {
      Type: 'AWS::ECS::Cluster',
      Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] },
    },
    LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: config.service.logRetentionDays } },
    ExecutionRole: serviceRole('ecs-tasks.amazonaws.com', [
      { name: 'pull-image-write-logs-read-secrets', statements: executionStatements(config) },
    ]),
    TaskRole: serviceRole('ecs-tasks.amazonaws.com', [{ name: 'app', statements: storage.taskRoleStatements }]),
    TaskDefinition: taskDefinition(config, storage),
    TaskSecurityGroup: taskSecurityGroup(config, network, loadBalancer),
    ...endpointIngress(network),
    Service: service(config, network, loadBalancer, rollout),
    ...autoscaling(config),
  };
  return {
    resources,
    compute: { clusterName: ref('Cluster'), serviceName: getAtt('Service', 'Name'), logGroupName: ref('LogGroup') },
  };
}

/** ECR pull on the one repository, logs to its own log group, and the secrets it injects. */
function executionStatements(config: Config): Value[] {
  const repository = config.image.repository ?? config.name;
  const statements: Value[] = [
    allow(
      ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      sub(`arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${repository}`),
    ),
    // GetAuthorizationToken has no resource-level permissions: `*` is the only resource it accepts.
    allow(['ecr:GetAuthorizationToken'], '*'),
    allow(['logs:CreateLogStream', 'logs:PutLogEvents'], getAtt('LogGroup', 'Arn')),
  ];
  // A Secrets Manager reference may go on past the secret's ARN (`…:secret:db-AbCdEf:password::`,
  // a JSON key, version stage and id); IAM knows only the secret, the first seven fields.
  const secretArns = [
    ...new Set(Object.values(config.service.secrets).map((arn) => arn.split(':').slice(0, 7).join(':'))),
  ].sort();
  const byService = (service: string) => secretArns.filter((arn) => arn.split(':')[2] === service);
  if (byService('secretsmanager').length > 0)
    statements.push(allow(['secretsmanager:GetSecretValue'], byService('secretsmanager')));
  if (byService('ssm').length > 0) statements.push(allow(['ssm:GetParameters'], byService('ssm')));
  return statements;
}

const sortedEntries = <T>(record: Record<string, T>) =>
  Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function taskDefinition(config: Config, storage: StorageRefs): Resource {
  const { service } = config;
  const environment = sortedEntries<Value>({
    ...stagePrefixEnvironment(config),
    ...service.environment,
    ...storage.environment,
  }).map(([Name, Value]) => ({ Name, Value }));
  const container: Record<string, Value> = {
    Name: config.name,
    // A stack parameter, so a deploy changes only the image; pinned by digest, a new image always
    // changes the task definition and so always rolls out.
    Image: ref(IMAGE_PARAMETER),
    Essential: true,
    PortMappings: [{ ContainerPort: service.port, Protocol: 'tcp' }],
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': ref('LogGroup'),
        'awslogs-region': ref('AWS::Region'),
        'awslogs-stream-prefix': config.name,
      },
    },
  };
  if (environment.length > 0) container.Environment = environment;
  const secrets = sortedEntries(service.secrets).map(([Name, ValueFrom]) => ({ Name, ValueFrom }));
  if (secrets.length > 0) container.Secrets = secrets;
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: String(service.cpu),
      Memory: String(service.memory),
      RuntimePlatform: {
        OperatingSystemFamily: 'LINUX',
        CpuArchitecture: config.image.platform === 'linux/arm64' ? 'ARM64' : 'X86_64',
      },
      ExecutionRoleArn: getAtt('ExecutionRole', 'Arn'),
      TaskRoleArn: getAtt('TaskRole', 'Arn'),
      ContainerDefinitions: [container],
    },
  };
}

/**
 * Only the container port, and only from the load balancer's security group: never a CIDR, since
 * anything else in a shared VPC would then reach the app without passing API Gateway's auth.
 */
function taskSecurityGroup(config: Config, network: NetworkRefs, loadBalancer: LoadBalancerRefs): Resource {
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: 'Fargate tasks: the container port, from the load balancer only',
      VpcId: network.vpcId,
      SecurityGroupIngress: [
        {
          IpProtocol: 'tcp',
          FromPort: config.service.port,
          ToPort: config.service.port,
          SourceSecurityGroupId: loadBalancer.securityGroupId,
          Description: 'Container port from the load balancer (traffic and health checks)',
        },
      ],
    },
  };
}

/** The interface endpoints (ECR, Logs, secrets) admit HTTPS from the tasks and from nothing else in the VPC. */
function endpointIngress(network: NetworkRefs): Resources {
  if (network.endpointSecurityGroupId === undefined) return {};
  return {
    EndpointIngressFromTasks: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: network.endpointSecurityGroupId,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: getAtt('TaskSecurityGroup', 'GroupId'),
        Description: 'HTTPS from the Fargate tasks',
      },
    },
  };
}

function service(
  config: Config,
  network: NetworkRefs,
  loadBalancer: LoadBalancerRefs,
  rollout: RolloutRefs | undefined,
): Resource {
  const { deployment } = config.service;
  const target: Record<string, Value> = {
    ContainerName: config.name,
    ContainerPort: config.service.port,
    TargetGroupArn: loadBalancer.targetGroupArn,
  };
  if (rollout?.advancedConfiguration) target.AdvancedConfiguration = rollout.advancedConfiguration;
  const properties: Record<string, Value> = {
    Cluster: ref('Cluster'),
    TaskDefinition: ref('TaskDefinition'),
    LaunchType: 'FARGATE',
    NetworkConfiguration: {
      AwsvpcConfiguration: {
        AssignPublicIp: 'DISABLED',
        Subnets: network.privateSubnetIds,
        SecurityGroups: [getAtt('TaskSecurityGroup', 'GroupId')],
      },
    },
    LoadBalancers: [target],
    HealthCheckGracePeriodSeconds: deployment.healthCheckGracePeriod,
    DeploymentConfiguration: {
      MinimumHealthyPercent: deployment.minHealthyPercent,
      MaximumPercent: deployment.maxHealthyPercent,
      // Without it a broken image keeps the stack UPDATE_IN_PROGRESS for hours.
      DeploymentCircuitBreaker: { Enable: deployment.circuitBreaker, Rollback: deployment.circuitBreaker },
      ...rollout?.deploymentConfiguration,
    },
    PropagateTags: 'SERVICE',
    EnableECSManagedTags: true,
  };
  // With autoscaling the scalable target owns the count: a fixed one would reset it on every deploy.
  if (!config.service.autoscaling) properties.DesiredCount = config.service.desiredCount;
  return {
    Type: 'AWS::ECS::Service',
    // The target group must be attached to the load balancer before a service can register in it
    // (a traffic-shifting strategy's listener Ref already says so), and tasks can only pull their
    // image once the NAT routes or endpoints exist.
    DependsOn: [
      ...(rollout?.advancedConfiguration ? [] : [loadBalancer.listenerId]),
      ...network.egressReady,
      ...(rollout?.dependsOn ?? []),
    ],
    Properties: properties,
  };
}

function autoscaling(config: Config): Resources {
  const scaling = config.service.autoscaling;
  if (!scaling) return {};
  return {
    ScalableTarget: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: sub('service/${Cluster}/${Service.Name}'),
        MinCapacity: scaling.min,
        MaxCapacity: scaling.max,
      },
    },
    ScalingPolicy: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: 'cpu-target-tracking',
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: ref('ScalableTarget'),
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: scaling.cpuTarget,
          ScaleInCooldown: 60,
          ScaleOutCooldown: 60,
        },
      },
    },
  };
}
