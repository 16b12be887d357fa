import { describe, expect, it } from '@jest/globals';
import { renderStack } from './index.js';
import { configOf, minimalInput, ofType, single } from '../../test-support/configs.js';

const render = (network: object, service?: object) =>
  renderStack(configOf(minimalInput, { network, ...(service ? { service: { port: 8080, ...service } } : {}) }));

describe('network', () => {
  it('builds a VPC over two AZs with a public and a private subnet in each', () => {
    const template = render({});
    const subnets = Object.values(ofType(template, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(4);
    const azIndexes = subnets.map(
      (s) => (s.Properties!.AvailabilityZone as { 'Fn::Select': [number] })['Fn::Select'][0],
    );
    expect(azIndexes.sort()).toEqual([0, 0, 1, 1]);
    const cidrIndexes = subnets.map((s) => (s.Properties!.CidrBlock as { 'Fn::Select': [number] })['Fn::Select'][0]);
    expect(new Set(cidrIndexes).size).toBe(4);
    expect(subnets.every((s) => s.Properties!.MapPublicIpOnLaunch === false)).toBe(true);
    expect(single(template, 'AWS::EC2::VPC').Properties).toMatchObject({
      CidrBlock: '10.40.0.0/16',
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
    });
  });

  it.each([
    [0, 0, []],
    [1, 1, ['NatGateway1', 'NatGateway1']],
    [2, 2, ['NatGateway1', 'NatGateway2']],
  ])(
    'natGateways %i gives %i NAT gateways and routes both private subnets through them',
    (natGateways, count, targets) => {
      const template = render({ natGateways });
      expect(Object.keys(ofType(template, 'AWS::EC2::NatGateway'))).toHaveLength(count);
      expect(Object.keys(ofType(template, 'AWS::EC2::EIP'))).toHaveLength(count);
      const privateRoutes = Object.values(ofType(template, 'AWS::EC2::Route')).filter(
        (r) => 'NatGatewayId' in r.Properties!,
      );
      expect(privateRoutes.map((r) => (r.Properties!.NatGatewayId as { Ref: string }).Ref)).toEqual(targets);
      for (const id of [
        ...Object.keys(ofType(template, 'AWS::EC2::NatGateway')),
        ...Object.keys(ofType(template, 'AWS::EC2::EIP')),
      ]) {
        expect(template.Resources[id].DependsOn).toBe('InternetGatewayAttachment');
      }
    },
  );

  it('routes the public subnets to the internet gateway only once it is attached', () => {
    const route = renderStack(configOf(minimalInput)).Resources.PublicDefaultRoute;
    expect(route.DependsOn).toBe('InternetGatewayAttachment');
    expect(route.Properties).toMatchObject({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: { Ref: 'InternetGateway' },
    });
  });

  it('without a NAT, reaches ECR, S3 and Logs through endpoints', () => {
    const template = render({ natGateways: 0 });
    const services = Object.values(ofType(template, 'AWS::EC2::VPCEndpoint')).map(
      (e) => (e.Properties!.ServiceName as { 'Fn::Sub': string })['Fn::Sub'],
    );
    expect(services.map((s) => s.replace('com.amazonaws.${AWS::Region}.', ''))).toEqual([
      'ecr.api',
      'ecr.dkr',
      'logs',
      's3',
    ]);
    // Tasks must not start before they can pull their image.
    expect(template.Resources.Service.DependsOn).toEqual(
      expect.arrayContaining(['EcrApiEndpoint', 'EcrDkrEndpoint', 'LogsEndpoint', 'S3Endpoint']),
    );
  });

  it("lets the S3 endpoint reach only the Region's ECR layer bucket (read) and this account's buckets", () => {
    const policy = render({ natGateways: 0 }).Resources.S3Endpoint.Properties!.PolicyDocument as {
      Statement: Record<string, unknown>[];
    };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*' },
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
  });

  it('adds the Secrets Manager and SSM endpoints only for the secrets the service injects', () => {
    const template = render(
      { natGateways: 0 },
      {
        secrets: {
          DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
          FLAG: 'arn:aws:ssm:eu-west-1:123456789012:parameter/flag',
        },
      },
    );
    expect(template.Resources.SecretsmanagerEndpoint).toBeDefined();
    expect(template.Resources.SsmEndpoint).toBeDefined();
    expect(render({ natGateways: 0 }).Resources.SecretsmanagerEndpoint).toBeUndefined();
  });

  it('keeps endpoints off with a NAT unless asked for', () => {
    expect(ofType(render({ natGateways: 1 }), 'AWS::EC2::VPCEndpoint')).toEqual({});
    expect(Object.keys(ofType(render({ natGateways: 1, vpcEndpoints: true }), 'AWS::EC2::VPCEndpoint'))).toHaveLength(
      4,
    );
  });

  it('writes flow logs to their own log group with their own role, unless turned off', () => {
    const template = render({});
    expect(single(template, 'AWS::EC2::FlowLog').Properties).toMatchObject({
      ResourceType: 'VPC',
      LogGroupName: { Ref: 'FlowLogGroup' },
      DeliverLogsPermissionArn: { 'Fn::GetAtt': ['FlowLogRole', 'Arn'] },
    });
    expect(ofType(render({ flowLogs: false }), 'AWS::EC2::FlowLog')).toEqual({});
  });

  it('in an existing VPC creates no network and places everything in the given subnets', () => {
    const existing = { vpcId: 'vpc-0abc0abc', privateSubnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb'] };
    const template = render({ existing });
    const networkTypes = [
      'VPC',
      'Subnet',
      'InternetGateway',
      'NatGateway',
      'EIP',
      'RouteTable',
      'Route',
      'FlowLog',
      'VPCEndpoint',
    ];
    for (const type of networkTypes) expect(ofType(template, `AWS::EC2::${type}`)).toEqual({});
    expect(template.Resources.LoadBalancer.Properties!.Subnets).toEqual(existing.privateSubnetIds);
    expect(template.Resources.TargetGroup.Properties!.VpcId).toBe('vpc-0abc0abc');
  });
});
