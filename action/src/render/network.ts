// The network layer: a two-AZ VPC with public subnets (NAT gateways only) and private subnets
// (load balancer, tasks, endpoints), or references to an existing VPC, in which case nothing is
// created. Other layers get subnet and VPC references from here and never reach into it.
import type { Config } from '../config/schema.js';
import type { Resource, Value } from './template.js';
import { pascal } from '../naming.js';
import {
  allow,
  availabilityZones,
  getAtt,
  policyDocument,
  ref,
  select,
  serviceRole,
  sub,
  type Resources,
} from './intrinsics.js';

export interface NetworkRefs {
  vpcId: Value;
  /** One private subnet per AZ: the load balancer, the tasks and the VPC link live here. */
  privateSubnetIds: Value[];
  /** Route tables of the private subnets, for gateway endpoints; empty for an existing VPC. */
  privateRouteTableIds: Value[];
  /** Logical ids that must exist before a task can pull its image: NAT routes or endpoints. */
  egressReady: string[];
  /** The interface endpoints' security group, when there are endpoints: the tasks open it for themselves. */
  endpointSecurityGroupId?: Value;
}

export interface NetworkLayer {
  resources: Resources;
  network: NetworkRefs;
}

const AZ_COUNT = 2;
const azs = [1, 2] as const;

export function renderNetwork(config: Config): NetworkLayer {
  const { existing } = config.network;
  if (existing) {
    return {
      resources: {},
      network: {
        vpcId: existing.vpcId,
        privateSubnetIds: existing.privateSubnetIds,
        privateRouteTableIds: [],
        egressReady: [],
      },
    };
  }
  const resources: Resources = { ...vpc(config), ...subnets(config), ...natGateways(config) };
  const network: NetworkRefs = {
    vpcId: ref('Vpc'),
    privateSubnetIds: azs.map((az) => ref(`PrivateSubnet${az}`)),
    privateRouteTableIds: azs.map((az) => ref(`PrivateRouteTable${az}`)),
    egressReady: config.network.natGateways > 0 ? azs.map((az) => `PrivateDefaultRoute${az}`) : [],
  };
  if (config.network.flowLogs) Object.assign(resources, flowLogs(config));
  if (endpointsEnabled(config)) {
    const endpoints = vpcEndpoints(config, network);
    Object.assign(resources, endpoints);
    network.egressReady.push(...Object.keys(endpoints).filter((id) => id.endsWith('Endpoint')));
    network.endpointSecurityGroupId = getAtt('EndpointSecurityGroup', 'GroupId');
  }
  return { resources, network };
}

/** VPC endpoints default to on exactly when there is no NAT to reach AWS through. */
export function endpointsEnabled(config: Config): boolean {
  return !config.network.existing && (config.network.vpcEndpoints ?? config.network.natGateways === 0);
}

const nameTag = (suffix: string): Value => [{ Key: 'Name', Value: sub(`\${AWS::StackName}-${suffix}`) }];

function vpc(config: Config): Resources {
  return {
    Vpc: {
      Type: 'AWS::EC2::VPC',
      Properties: {
        CidrBlock: config.network.cidr,
        EnableDnsSupport: true,
        EnableDnsHostnames: true,
        Tags: nameTag('vpc'),
      },
    },
    InternetGateway: { Type: 'AWS::EC2::InternetGateway', Properties: { Tags: nameTag('igw') } },
    InternetGatewayAttachment: {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: { VpcId: ref('Vpc'), InternetGatewayId: ref('InternetGateway') },
    },
    PublicRouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc'), Tags: nameTag('public') } },
    PublicDefaultRoute: {
      Type: 'AWS::EC2::Route',
      // A route to an internet gateway that is not attached yet fails.
      DependsOn: 'InternetGatewayAttachment',
      Properties: {
        RouteTableId: ref('PublicRouteTable'),
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: ref('InternetGateway'),
      },
    },
  };
}

/** Four equal subnets carved from the VPC's CIDR: private 1-2 first, then public 1-2. */
function subnets(config: Config): Resources {
  const prefix = Number(config.network.cidr.split('/')[1]);
  const cidrs = { 'Fn::Cidr': [getAtt('Vpc', 'CidrBlock'), 2 * AZ_COUNT, 32 - (prefix + 2)] };
  const resources: Resources = {};
  for (const [offset, tier] of [
    [0, 'Private'],
    [AZ_COUNT, 'Public'],
  ] as const) {
    for (const az of azs) {
      const subnet = `${tier}Subnet${az}`;
      const routeTable = tier === 'Public' ? 'PublicRouteTable' : `PrivateRouteTable${az}`;
      resources[subnet] = {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: ref('Vpc'),
          AvailabilityZone: select(az - 1, availabilityZones),
          CidrBlock: select(offset + az - 1, cidrs),
          MapPublicIpOnLaunch: false,
          Tags: nameTag(`${tier.toLowerCase()}-${az}`),
        },
      };
      if (tier === 'Private') {
        resources[routeTable] = {
          Type: 'AWS::EC2::RouteTable',
          Properties: { VpcId: ref('Vpc'), Tags: nameTag(`private-${az}`) },
        };
      }
      resources[`${subnet}RouteTableAssociation`] = {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { SubnetId: ref(subnet), RouteTableId: ref(routeTable) },
      };
    }
  }
  return resources;
}

/** 0: no default route (endpoints only); 1: both AZs share one NAT; 2: one NAT per AZ. */
function natGateways(config: Config): Resources {
  const count = config.network.natGateways;
  const resources: Resources = {};
  for (let nat = 1; nat <= count; nat++) {
    resources[`NatEip${nat}`] = {
      Type: 'AWS::EC2::EIP',
      DependsOn: 'InternetGatewayAttachment',
      Properties: { Domain: 'vpc', Tags: nameTag(`nat-${nat}`) },
    };
    resources[`NatGateway${nat}`] = {
      Type: 'AWS::EC2::NatGateway',
      DependsOn: 'InternetGatewayAttachment',
      Properties: {
        AllocationId: getAtt(`NatEip${nat}`, 'AllocationId'),
        SubnetId: ref(`PublicSubnet${nat}`),
        Tags: nameTag(`nat-${nat}`),
      },
    };
  }
  if (count === 0) return resources;
  for (const az of azs) {
    resources[`PrivateDefaultRoute${az}`] = {
      Type: 'AWS::EC2::Route',
      Properties: {
        RouteTableId: ref(`PrivateRouteTable${az}`),
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: ref(`NatGateway${count === 2 ? az : 1}`),
      },
    };
  }
  return resources;
}

function flowLogs(config: Config): Resources {
  return {
    FlowLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: config.service.logRetentionDays } },
    FlowLogRole: serviceRole('vpc-flow-logs.amazonaws.com', [
      {
        name: 'deliver-flow-logs',
        statements: [
          allow(
            ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            getAtt('FlowLogGroup', 'Arn'),
          ),
          allow(
            ['logs:DescribeLogGroups'],
            sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*'),
          ),
        ],
      },
    ]),
    FlowLog: {
      Type: 'AWS::EC2::FlowLog',
      Properties: {
        ResourceId: ref('Vpc'),
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: ref('FlowLogGroup'),
        DeliverLogsPermissionArn: getAtt('FlowLogRole', 'Arn'),
      },
    },
  };
}

/**
 * The interface endpoints a Fargate task needs without a NAT: ECR (API + registry) and CloudWatch
 * Logs, plus Secrets Manager / SSM when secrets are injected; S3 (where image layers live) is a
 * gateway endpoint beside them. Fargate runs its own agent, so the ecs/ecs-agent/ecs-telemetry
 * endpoints that EC2 container instances need are not. The diagram lists the same services.
 */
export function interfaceEndpointServices(config: Config): string[] {
  const secretServices = new Set(Object.values(config.service.secrets).map((arn) => arn.split(':')[2]));
  return ['ecr.api', 'ecr.dkr', 'logs', ...['secretsmanager', 'ssm'].filter((service) => secretServices.has(service))];
}

function vpcEndpoints(config: Config, network: NetworkRefs): Resources {
  const resources: Resources = {
    // No inline ingress: the compute layer admits the tasks' security group, and nothing else.
    EndpointSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'Interface endpoints: HTTPS from the Fargate tasks only', VpcId: network.vpcId },
    },
  };
  for (const service of interfaceEndpointServices(config)) {
    resources[`${pascal(service)}Endpoint`] = {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: network.vpcId,
        ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SubnetIds: network.privateSubnetIds,
        SecurityGroupIds: [ref('EndpointSecurityGroup')],
      },
    };
  }
  resources.S3Endpoint = gatewayEndpoint('s3', network, S3_ENDPOINT_POLICY);
  return resources;
}

/**
 * What the S3 gateway endpoint lets through. It carries all S3 traffic of the private subnets, so
 * an open policy would let anything in them copy data to any bucket in the world. Allowed: the
 * Region's ECR layer bucket (AWS-owned, read only: where image pulls fetch their layers, per
 * "Minimum Amazon S3 bucket permissions for Amazon ECR") and buckets of this account.
 */
export const S3_ENDPOINT_POLICY: Value = policyDocument([
  {
    Sid: 'EcrImageLayers',
    Effect: 'Allow',
    Principal: '*',
    Action: ['s3:GetObject'],
    Resource: sub('arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*'),
  },
  {
    Sid: 'BucketsOfThisAccount',
    Effect: 'Allow',
    Principal: '*',
    Action: ['s3:*'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceAccount': ref('AWS::AccountId') } },
  },
]);

/** A gateway endpoint (S3, DynamoDB): free, and routes the service's prefix list in the private route tables. */
export function gatewayEndpoint(service: 's3' | 'dynamodb', network: NetworkRefs, policy?: Value): Resource {
  return {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      VpcId: network.vpcId,
      ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
      VpcEndpointType: 'Gateway',
      RouteTableIds: network.privateRouteTableIds,
      ...(policy === undefined ? {} : { PolicyDocument: policy }),
    },
  };
}
