import { describe, expect, it } from '@jest/globals';
import { renderStack } from './index.js';
import { configOf, minimalInput, ofType, sampleInput, single } from '../../test-support/configs.js';

describe('storage', () => {
  const template = renderStack(configOf(sampleInput));

  it('creates no table unless asked for', () => {
    expect(ofType(renderStack(configOf(minimalInput)), 'AWS::DynamoDB::Table')).toEqual({});
  });

  it('keeps the data: on-demand, point-in-time recovery, encrypted, retained, with a generated name', () => {
    const table = single(template, 'AWS::DynamoDB::Table');
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(table.Properties.TableName).toBeUndefined();
  });

  it('gives the task its table name and access to that table only', () => {
    const [container] = single(template, 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions as {
      Environment: unknown[];
    }[];
    expect(container.Environment).toContainEqual({ Name: 'TABLE_NAME', Value: { Ref: 'Table' } });
    const policies = template.Resources.TaskRole.Properties!.Policies as {
      PolicyDocument: { Statement: { Resource: unknown }[] };
    }[];
    const resources = policies.flatMap((p) => p.PolicyDocument.Statement.map((s) => s.Resource));
    expect(resources).toEqual([{ 'Fn::GetAtt': ['Table', 'Arn'] }]);
  });

  it('reaches DynamoDB through a gateway endpoint on the private route tables', () => {
    expect(template.Resources.DynamoDbEndpoint.Properties).toMatchObject({
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.dynamodb' },
      RouteTableIds: [{ Ref: 'PrivateRouteTable1' }, { Ref: 'PrivateRouteTable2' }],
    });
  });
});
