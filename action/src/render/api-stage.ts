// What makes the API reachable: a deployment of the current methods, the stage that serves it
// (access logs, metrics, throttling, tracing), and the optional WAF, custom domain and
// account-wide CloudWatch role.
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Resource, Value } from './template.js';
import { allow, getAtt, ref, serviceRole, sub, type Resources } from './intrinsics.js';
import { API_DOMAIN_NAME, REST_API, STAGE } from './api-ids.js';

/**
 * What API Gateway's account-wide logging role may do (AWS's managed policy for it). The
 * bootstrap's permissions boundary allows exactly this, so the two never drift apart.
 */
export const API_GATEWAY_LOGGING_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:DescribeLogGroups',
  'logs:DescribeLogStreams',
  'logs:PutLogEvents',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
];

/**
 * Deployments are immutable snapshots: a fixed logical id would never redeploy, so the id carries
 * a hash of everything a deployment captures (resources, methods, integrations, authorizers,
 * validators). It changes exactly when one of those does. The integrations name the VPC link and
 * the load balancer only by `Ref`, which stays the same when they are replaced, so `backend` adds
 * what replaces them (their subnets, the VPC): a stage left on a deleted link answers nothing.
 */
export function renderDeployment(
  apiResources: Resources,
  methodIds: string[],
  backend: unknown,
): { id: string; resources: Resources } {
  const captured = Object.entries(apiResources)
    .filter(([, r]) => r.Type.startsWith('AWS::ApiGateway::') && r.Type !== 'AWS::ApiGateway::Deployment')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256')
    .update(JSON.stringify([captured, backend]))
    .digest('hex')
    .slice(0, 10);
  const id = `Deployment${hash}`;
  const deployment: Resource = {
    Type: 'AWS::ApiGateway::Deployment',
    // Without a method the deployment fails ("The REST API doesn't contain any methods").
    DependsOn: methodIds,
    Properties: { RestApiId: ref(REST_API), Description: `routes ${hash}` },
  };
  return { id, resources: { [id]: deployment } };
}

/** Logical id of the stage's execution log group (API Gateway names the group itself). */
export const EXECUTION_LOG_GROUP = 'ApiExecutionLogGroup';

/** Access-log fields, one JSON object per request. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integration.error',
  error: '$context.error.message',
  apiKeyId: '$context.identity.apiKeyId',
  user: '$context.identity.user',
});

export function renderStage(config: Config, deploymentId: string): Resources {
  const { api } = config;
  const resources: Resources = {};
  const stage: Resource = {
    Type: 'AWS::ApiGateway::Stage',
    Properties: {
      RestApiId: ref(REST_API),
      StageName: api.stage,
      DeploymentId: ref(deploymentId),
      TracingEnabled: api.tracing,
      MethodSettings: [
        {
          ResourcePath: '/*',
          HttpMethod: '*',
          MetricsEnabled: true,
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
          ThrottlingRateLimit: api.throttling.rateLimit,
          ThrottlingBurstLimit: api.throttling.burstLimit,
        },
      ],
    },
  };
  if (api.accessLogs) {
    resources.ApiAccessLogGroup = {
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: config.service.logRetentionDays },
    };
    stage.Properties!.AccessLogSetting = {
      DestinationArn: getAtt('ApiAccessLogGroup', 'Arn'),
      Format: ACCESS_LOG_FORMAT,
    };
  }
  // Execution logs (LoggingLevel above) go to a group API Gateway would otherwise create on first
  // use, outside the stack and never expiring. Created first, it belongs to the stack and expires.
  resources[EXECUTION_LOG_GROUP] = {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      LogGroupName: sub(`API-Gateway-Execution-Logs_\${${REST_API}}/${api.stage}`),
      RetentionInDays: config.service.logRetentionDays,
    },
  };
  const dependsOn = [EXECUTION_LOG_GROUP];
  if (api.cloudWatchRole) {
    Object.assign(resources, cloudWatchRole());
    // Stage logging fails until the account knows the role to write logs with.
    dependsOn.push('ApiGatewayAccount');
  }
  stage.DependsOn = dependsOn;
  resources[STAGE] = stage;
  if (api.wafWebAclArn) {
    resources.WebAclAssociation = {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: {
        ResourceArn: sub(
          `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${${REST_API}}/stages/\${${STAGE}}`,
        ),
        WebACLArn: api.wafWebAclArn,
      },
    };
  }
  if (api.domain) {
    resources[API_DOMAIN_NAME] = {
      Type: 'AWS::ApiGateway::DomainName',
      Properties: {
        DomainName: api.domain.name,
        RegionalCertificateArn: api.domain.certificateArn,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        SecurityPolicy: 'TLS_1_2',
      },
    };
    const mapping: Record<string, Value> = {
      DomainName: ref(API_DOMAIN_NAME),
      RestApiId: ref(REST_API),
      Stage: ref(STAGE),
    };
    if (api.domain.basePath !== '') mapping.BasePath = api.domain.basePath;
    resources.ApiBasePathMapping = { Type: 'AWS::ApiGateway::BasePathMapping', Properties: mapping };
  }
  return resources;
}

/**
 * The per-Region, account-wide role API Gateway writes stage logs with. Retained with the stack
 * gone, because the account setting (and every other API's logging) still points at it.
 */
export function cloudWatchRole(): Resources {
  const role = serviceRole(
    'apigateway.amazonaws.com',
    [
      {
        name: 'push-to-cloudwatch-logs',
        statements: [
          allow(API_GATEWAY_LOGGING_ACTIONS, sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*')),
        ],
      },
    ],
    // Trusted as API Gateway documents it, without a source condition it may not send.
    { sourceAccount: false },
  );
  return {
    ApiGatewayCloudWatchRole: { ...role, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
    ApiGatewayAccount: {
      Type: 'AWS::ApiGateway::Account',
      Properties: { CloudWatchRoleArn: getAtt('ApiGatewayCloudWatchRole', 'Arn') },
    },
  };
}
