// Plausible physical ids and Fn::GetAtt values, shaped like the ones AWS hands out, so that
// outputs (ARNs, DNS names, API ids) look and parse like the real thing.
import { randomBytes } from 'node:crypto';
import type { Json } from './template.js';

export interface Account {
  accountId: string;
  region: string;
}

const hex = (length: number): string => randomBytes(length).toString('hex').slice(0, length);
const alnum = (length: number): string =>
  Array.from(randomBytes(length), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
const upper = (length: number): string => alnum(length).toUpperCase();

/** The id CloudFormation generates for `logicalId` of `type`, honouring an explicit name property; `previous` when replacing. */
export function physicalId(
  type: string,
  logicalId: string,
  stackName: string,
  props: Record<string, Json>,
  account: Account,
  previous?: string,
): string {
  const { accountId, region } = account;
  const generated = `${stackName}-${logicalId}-${upper(12)}`.slice(-64);
  const named = (property: string): string => (typeof props[property] === 'string' ? props[property] : generated);
  const elb = (kind: string, name: string): string =>
    `arn:aws:elasticloadbalancing:${region}:${accountId}:${kind}/${name}/${hex(16)}`;
  switch (type) {
    case 'AWS::ApiGateway::RestApi':
      return alnum(10);
    case 'AWS::ApiGateway::Stage':
      return named('StageName');
    case 'AWS::ApiGateway::Resource':
    case 'AWS::ApiGateway::Deployment':
    case 'AWS::ApiGateway::VpcLink':
    case 'AWS::ApiGatewayV2::VpcLink':
      return alnum(6);
    case 'AWS::ECS::Cluster':
      return named('ClusterName');
    case 'AWS::ECS::Service':
      // Ref gives the ARN; the cluster part is filled in by the caller when it knows it.
      return `arn:aws:ecs:${region}:${accountId}:service/${String(props.Cluster ?? 'default')}/${named('ServiceName')}`;
    case 'AWS::ECS::TaskDefinition': {
      // A replaced task definition is a new revision of the same family.
      const [family, revision] = previous?.split('/').at(-1)?.split(':') ?? [named('Family'), '0'];
      return `arn:aws:ecs:${region}:${accountId}:task-definition/${family}:${Number(revision) + 1}`;
    }
    case 'AWS::Logs::LogGroup':
      return named('LogGroupName');
    case 'AWS::CloudWatch::Alarm':
      return named('AlarmName');
    case 'AWS::CloudWatch::Dashboard':
      return named('DashboardName');
    case 'AWS::IAM::Role':
      return named('RoleName');
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return elb('loadbalancer/net', `${stackName}-NLB-${upper(6)}`.slice(-32));
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return elb('targetgroup', `${stackName}-TG-${upper(6)}`.slice(-32));
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return elb('listener/net', `${stackName}-NLB/${hex(16)}`);
    case 'AWS::CloudFormation::Stack':
      return `arn:aws:cloudformation:${region}:${accountId}:stack/${generated}/${crypto.randomUUID()}`;
  }
  const ec2Prefix: Record<string, string> = {
    VPC: 'vpc',
    Subnet: 'subnet',
    SecurityGroup: 'sg',
    InternetGateway: 'igw',
    NatGateway: 'nat',
    RouteTable: 'rtb',
    VPCEndpoint: 'vpce',
    FlowLog: 'fl',
    NetworkAcl: 'acl',
  };
  const [, service, kind] = type.split('::');
  if (service === 'EC2' && ec2Prefix[kind]) return `${ec2Prefix[kind]}-${hex(17)}`;
  if (type === 'AWS::EC2::EIP') return `3.${randomBytes(3).join('.')}`;
  return generated;
}

/** The value of Fn::GetAtt on a resource with this physical id. */
export function attribute(
  type: string,
  physical: string,
  name: string,
  props: Record<string, Json>,
  account: Account,
): string {
  const { accountId, region } = account;
  const lastPart = physical.split('/').at(-2) ?? physical;
  switch (`${type}.${name}`) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
      return `${lastPart}-${hex(16)}.elb.${region}.amazonaws.com`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName':
      return physical.split(':loadbalancer/')[1] ?? physical;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerName':
    case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupName':
      return lastPart;
    case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName':
      return physical.split(':').at(-1)!;
    case 'AWS::EC2::Subnet.AvailabilityZone':
      return `${region}a`;
    case 'AWS::ECS::Service.Name':
      return physical.split('/').at(-1)!;
    case 'AWS::ApiGateway::RestApi.RootResourceId':
      return alnum(10);
    case 'AWS::EC2::VPC.CidrBlock':
      return String(props.CidrBlock ?? '10.0.0.0/16');
    case 'AWS::EC2::SecurityGroup.GroupId':
      return physical;
    case 'AWS::EC2::EIP.AllocationId':
      return `eipalloc-${hex(17)}`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${accountId}:role/${physical}`;
    case 'AWS::Logs::LogGroup.Arn':
      return `arn:aws:logs:${region}:${accountId}:log-group:${physical}:*`;
    case 'AWS::CloudWatch::Alarm.Arn':
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${physical}`;
    case 'AWS::ECS::Cluster.Arn':
      return `arn:aws:ecs:${region}:${accountId}:cluster/${physical}`;
  }
  if (physical.startsWith('arn:')) return name.endsWith('Arn') ? physical : `${physical}/${name}`;
  if (name === 'Arn' || name.endsWith('Arn')) {
    const [, service, kind] = type.split('::');
    return `arn:aws:${service.toLowerCase()}:${region}:${accountId}:${kind.toLowerCase()}/${physical}`;
  }
  return name.endsWith('Id') ? physical : `${physical}-${name}`;
}
