// The storage layer: one DynamoDB table (pk/sk strings) when the config asks for it, a gateway
// endpoint so the tasks reach it without a NAT, and the task role's access to that table only.
// The table keeps its data through stack deletion and replacement (retention.ts), and its name is
// generated: a fixed name would make any replacement fail.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import { gatewayEndpoint, type NetworkRefs } from './network.js';
import { allow, getAtt, ref, type Resources } from './intrinsics.js';

export interface StorageRefs {
  /** Environment variables the container gets (TABLE_NAME). */
  environment: Record<string, Value>;
  /** IAM statements the task role needs, scoped to this table. */
  taskRoleStatements: Value[];
}

export interface StorageLayer {
  resources: Resources;
  storage: StorageRefs;
}

export const TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

export function renderStorage(config: Config, network: NetworkRefs): StorageLayer {
  if (!config.storage.dynamodb) return { resources: {}, storage: { environment: {}, taskRoleStatements: [] } };
  const resources: Resources = {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    },
  };
  // An existing VPC's route tables are unknown here: its owner provides the route to DynamoDB.
  if (network.privateRouteTableIds.length > 0) resources.DynamoDbEndpoint = gatewayEndpoint('dynamodb', network);
  return {
    resources,
    storage: {
      environment: { TABLE_NAME: ref('Table') },
      // The table has no indexes, so the role needs (and gets) no index ARNs.
      taskRoleStatements: [allow(TABLE_ACTIONS, getAtt('Table', 'Arn'))],
    },
  };
}
