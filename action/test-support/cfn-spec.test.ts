import { describe, expect, it } from '@jest/globals';
import type { Resource, Template } from '../src/render/template.js';
import { checkTemplate, checkTemplateSize, INLINE_BODY_LIMIT, templateBodySizes } from './cfn-spec.js';

/** A small template that is valid: a VPC, a subnet in its first AZ, a log group, a role, outputs. */
function valid(): Template {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'checker fixture',
    Parameters: {
      Cidr: { Type: 'String', Default: '10.0.0.0/16', AllowedPattern: '\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+' },
      SubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>' },
      Retain: { Type: 'String', Default: 'no', AllowedValues: ['yes', 'no'] },
    },
    Conditions: { RetainLogs: { 'Fn::Equals': [{ Ref: 'Retain' }, 'yes'] } },
    Resources: {
      Vpc: {
        Type: 'AWS::EC2::VPC',
        Properties: {
          CidrBlock: { Ref: 'Cidr' },
          EnableDnsSupport: true,
          EnableDnsHostnames: 'true',
          Tags: [{ Key: 'Name', Value: { 'Fn::Sub': '${AWS::StackName}-vpc' } }],
        },
      },
      Subnet: {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
          CidrBlock: { 'Fn::Select': [0, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] }] },
        },
      },
      Logs: {
        Type: 'AWS::Logs::LogGroup',
        Condition: 'RetainLogs',
        DeletionPolicy: 'Retain',
        Properties: { RetentionInDays: 30 },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        DependsOn: 'Subnet',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
          Policies: [
            {
              PolicyName: 'logs',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'logs:PutLogEvents',
                    Resource: { 'Fn::If': ['RetainLogs', { 'Fn::GetAtt': 'Logs.Arn' }, { Ref: 'AWS::NoValue' }] },
                  },
                ],
              },
            },
          ],
        },
      },
      Endpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          ServiceName: { 'Fn::Sub': ['com.amazonaws.${Region}.s3', { Region: { Ref: 'AWS::Region' } }] },
          SubnetIds: { Ref: 'SubnetIds' },
          VpcEndpointType: 'Gateway',
          PolicyDocument: { 'Fn::Sub': '{"Note":"${!Literal} stays literal in ${Vpc}"}' },
        },
      },
    },
    Outputs: {
      VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-VpcId' } } },
      RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      LogGroup: { Condition: 'RetainLogs', Value: { Ref: 'Logs' } },
    },
  };
}

function withResource(id: string, resource: Resource): Template {
  const template = valid();
  template.Resources[id] = resource;
  return template;
}

describe('checkTemplate', () => {
  it('passes a valid template that uses every intrinsic shape', () => {
    expect(checkTemplate(valid())).toEqual([]);
  });

  it('reports an unknown resource type', () => {
    expect(checkTemplate(withResource('Bucket', { Type: 'AWS::S3::Buckit' }))).toEqual([
      'Resources.Bucket: unknown resource type AWS::S3::Buckit',
    ]);
  });

  it('reports an unknown property with the path and a suggestion', () => {
    const template = valid();
    template.Resources.Vpc.Properties!.EnableDnsHostname = true;
    expect(checkTemplate(template)).toEqual([
      'Resources.Vpc (AWS::EC2::VPC) Properties.EnableDnsHostname: unknown property (did you mean EnableDnsHostnames?)',
    ]);
  });

  it('reports unknown properties inside nested property types', () => {
    const template = valid();
    template.Resources.Role.Properties!.Policies = [{ PolicyName: 'x', PolicyDocument: {}, Statement: [] }];
    expect(checkTemplate(template)).toEqual([
      'Resources.Role (AWS::IAM::Role) Properties.Policies[0].Statement: unknown property',
    ]);
  });

  it('reports a missing required property, at any depth', () => {
    const template = withResource('Table', {
      Type: 'AWS::DynamoDB::Table',
      Properties: { AttributeDefinitions: [{ AttributeName: 'pk' }] },
    });
    expect(checkTemplate(template)).toEqual([
      'Resources.Table (AWS::DynamoDB::Table) Properties.AttributeDefinitions[0]: missing required property AttributeType',
      'Resources.Table (AWS::DynamoDB::Table) Properties: missing required property KeySchema',
    ]);
  });

  it('reports values of the wrong type or outside the allowed values', () => {
    const template = valid();
    Object.assign(template.Resources.Logs.Properties!, { RetentionInDays: 31 });
    Object.assign(template.Resources.Vpc.Properties!, { EnableDnsSupport: 'yes', Tags: { Name: 'vpc' } });
    Object.assign(template.Resources.Subnet.Properties!, { CidrBlock: ['10.0.0.0/24'] });
    expect(checkTemplate(template)).toEqual([
      'Resources.Vpc (AWS::EC2::VPC) Properties.EnableDnsSupport: expected a boolean, got "yes"',
      'Resources.Vpc (AWS::EC2::VPC) Properties.Tags: expected a list of tag, got an object',
      'Resources.Subnet (AWS::EC2::Subnet) Properties.CidrBlock: expected a string, got a list',
      expect.stringMatching(
        /^Resources\.Logs \(AWS::Logs::LogGroup\) Properties\.RetentionInDays: 31 is not one of 1, 3, 5, 7, 14, 30/,
      ),
    ]);
  });

  it('checks the shape an intrinsic function returns against the property', () => {
    const template = valid();
    Object.assign(template.Resources.Subnet.Properties!, { AvailabilityZone: { 'Fn::GetAZs': '' } });
    Object.assign(template.Resources.Endpoint.Properties!, {
      SubnetIds: { 'Fn::Sub': '${Subnet}' },
      RouteTableIds: { 'Fn::Split': [',', 'a,b'] },
    });
    expect(checkTemplate(template)).toEqual([
      'Resources.Subnet (AWS::EC2::Subnet) Properties.AvailabilityZone: Fn::GetAZs returns a list, but the property takes string',
      'Resources.Endpoint (AWS::EC2::VPCEndpoint) Properties.SubnetIds: Fn::Sub returns a scalar, but the property takes a list of string',
    ]);
  });

  it('checks both branches of Fn::If against the property', () => {
    const template = valid();
    template.Resources.Vpc.Properties!.EnableDnsSupport = { 'Fn::If': ['RetainLogs', true, ['no']] };
    expect(checkTemplate(template)).toEqual([
      'Resources.Vpc (AWS::EC2::VPC) Properties.EnableDnsSupport.Fn::If[2]: expected a boolean, got a list',
    ]);
  });

  it('reports a Ref that resolves to nothing', () => {
    const template = valid();
    template.Resources.Subnet.Properties!.VpcId = { Ref: 'Vcp' };
    expect(checkTemplate(template)).toEqual([
      'Resources.Subnet.Properties.VpcId: Ref Vcp resolves to no resource, parameter or pseudo parameter',
    ]);
  });

  it('reports a GetAtt on a missing resource or an attribute the type does not have', () => {
    const template = valid();
    template.Outputs!.RoleArn.Value = { 'Fn::GetAtt': ['Role', 'RoleArn'] };
    template.Outputs!.Missing = { Value: { 'Fn::GetAtt': 'Nope.Arn' } };
    expect(checkTemplate(template)).toEqual([
      'Outputs.RoleArn.Value: Fn::GetAtt asks Role (AWS::IAM::Role) for attribute RoleArn, which it does not have (it has: Arn, RoleId)',
      'Outputs.Missing.Value: Fn::GetAtt names resource Nope, which does not exist',
    ]);
  });

  it('reports Fn::Sub variables that resolve to nothing, in both forms', () => {
    const template = valid();
    template.Outputs!.Url = {
      Value: {
        'Fn::Sub': ['https://${Api}.${AWS::Regin}/${Stage}/${Vpc.CidrBloc}/${Vpc.Ipv6CidrBlocks}', { Stage: 'prod' }],
      },
    };
    expect(checkTemplate(template)).toEqual([
      'Outputs.Url.Value: Fn::Sub ${Api} Api resolves to no resource, parameter or pseudo parameter',
      'Outputs.Url.Value: Fn::Sub ${AWS::Regin} AWS::Regin resolves to no resource, parameter or pseudo parameter',
      expect.stringContaining(
        'Outputs.Url.Value: Fn::Sub ${Vpc.CidrBloc} asks Vpc (AWS::EC2::VPC) for attribute CidrBloc',
      ),
      'Outputs.Url.Value: Fn::Sub ${Vpc.Ipv6CidrBlocks} is a list attribute; Fn::Sub needs a string (use Fn::Join)',
    ]);
  });

  it('reports a DependsOn that names no resource', () => {
    const template = valid();
    template.Resources.Role.DependsOn = ['Subnet', 'Listener'];
    expect(checkTemplate(template)).toEqual([
      'Resources.Role.DependsOn: "Listener" is not a resource in this template',
    ]);
  });

  it('reports dependency cycles through Ref, GetAtt, Sub and DependsOn', () => {
    const template = valid();
    template.Resources.Vpc.DependsOn = 'Role'; // Role DependsOn Subnet, whose VpcId is { Ref: Vpc }
    template.Resources.Logs.Properties!.LogGroupName = { 'Fn::Sub': '${Role}-logs' }; // Role GetAtts Logs.Arn
    template.Resources.Endpoint.DependsOn = 'Endpoint';
    expect(checkTemplate(template)).toEqual([
      'dependency cycle: Endpoint -> Endpoint',
      'dependency cycle: Role -> Logs -> Role',
      'dependency cycle: Vpc -> Role -> Subnet -> Vpc',
    ]);
  });

  it('reports conditions that do not exist and references to conditional resources outside them', () => {
    const template = valid();
    template.Resources.Subnet.Condition = 'IsProd';
    template.Outputs!.LogGroup = { Value: { Ref: 'Logs' } };
    template.Conditions!.Bad = { 'Fn::Equals': [{ Ref: 'Vpc' }, ''] };
    expect(checkTemplate(template)).toEqual([
      'Conditions.Bad.Fn::Equals[0]: Ref resource Vpc; conditions may only use parameters',
      'Resources.Subnet: Condition names condition "IsProd", which is not in Conditions',
      'Resources.Role.DependsOn: DependsOn Subnet, which only exists when condition IsProd is true; guard it with Fn::If IsProd or give this the same Condition',
      'Outputs.LogGroup.Value: Ref Logs, which only exists when condition RetainLogs is true; guard it with Fn::If RetainLogs or give this the same Condition',
    ]);
  });

  it('reports unsupported intrinsic functions and malformed arguments', () => {
    const template = valid();
    template.Outputs!.Length = { Value: { 'Fn::Length': [1, 2] } };
    template.Outputs!.Joined = { Value: { 'Fn::Join': ['-'] } };
    expect(checkTemplate(template)).toEqual([
      'Outputs.Length.Value: Fn::Length is not an intrinsic function CloudFormation supports here',
      'Outputs.Joined.Value: Fn::Join expects [delimiter, list], got ["-"]',
    ]);
  });

  it('reports logical ids CloudFormation rejects and parameter defaults outside their constraints', () => {
    const template = withResource('log-group', { Type: 'AWS::Logs::LogGroup' });
    template.Parameters!.Retain.Default = 'maybe';
    expect(checkTemplate(template)).toEqual([
      'Resources.log-group: logical ids must be 1-255 letters and digits',
      'Parameters.Retain: Default maybe is not one of its AllowedValues',
    ]);
  });
});

describe('template body size', () => {
  it('measures each format separately against the inline limit', () => {
    const small = valid();
    const sizes = templateBodySizes(small);
    expect(sizes.json).toBe(JSON.stringify(small).length);
    expect(Math.max(sizes.json, sizes.indentedJson, sizes.yaml)).toBeLessThan(INLINE_BODY_LIMIT);
    expect(checkTemplateSize(small)).toEqual([]);
    // Indented JSON is the largest body: a limit just under it fails that format only.
    expect(sizes.indentedJson).toBeGreaterThan(Math.max(sizes.json, sizes.yaml));
    expect(checkTemplateSize(small, sizes.indentedJson - 1)).toEqual([
      `template body as indented JSON is ${sizes.indentedJson} bytes, over the ${sizes.indentedJson - 1}-byte inline limit`,
    ]);
  });
});
