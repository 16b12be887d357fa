// Exceptions to cdk-nag's AwsSolutions rules, written into the template itself as each resource's
// `Metadata.cdk_nag.rules_to_suppress`, so the reason travels with what it excuses and a reviewer
// reads it where the resource is. Each exception follows from the resource as rendered (a public
// route, a grant AWS accepts only on `*`) or from an explicit choice in the config; anything else
// the scan finds stays a finding.
import type { Config } from '../config/schema.js';
import type { Resource, Value } from './template.js';
import type { Resources } from './intrinsics.js';
import {
  namesAppResources,
  WHY_DESCRIBE_ACTIONS,
  WHY_NAME_PREFIX,
  WHY_TEMPLATE_OBJECTS,
  WILDCARD_STATEMENTS,
} from './nag-bootstrap.js';

export interface NagSuppression {
  id: string;
  reason: string;
  /** For granular rules (IAM5): the findings covered, as cdk-nag names them (`Resource::*`). */
  applies_to?: string[];
}

/** Actions AWS authorizes only against `*` or a whole-account pattern, and why the grant is still narrow. */
const WILDCARD_ONLY: Record<string, string> = {
  'ecr:GetAuthorizationToken':
    'ecr:GetAuthorizationToken has no resource-level permissions (AWS accepts only *); it returns a registry login and nothing else, and the image pulls it enables are granted on the one repository.',
  ...Object.fromEntries(
    ['DescribeListeners', 'DescribeRules', 'DescribeTargetGroups', 'DescribeTargetHealth'].map((action) => [
      `elasticloadbalancing:${action}`,
      "Elastic Load Balancing's Describe actions have no resource-level permissions (AWS accepts only *); they read, and the traffic shift they serve is granted on the stack's own listener and target groups.",
    ]),
  ),
  'logs:DescribeLogGroups':
    "logs:DescribeLogGroups is authorized against the account's log-group:* pattern only; it lists names, and every write is granted on the stack's own log group.",
};

const WHY_API_GATEWAY_LOGGING =
  "API Gateway's account-wide logging role writes the execution logs of every API in the Region to log groups API Gateway names per API and stage; AWS's managed policy for this role (AmazonAPIGatewayPushToCloudWatchLogs) grants the same on all logs.";

const WHY_ENVIRONMENT =
  'The container environment holds only settings that are not secret (service.environment and the generated TABLE_NAME); secrets are injected from Secrets Manager or SSM through service.secrets and never appear in the task definition.';
const WHY_NO_ACCESS_LOG_ON_NLB =
  'Network Load Balancer access logs record TLS connections only; this load balancer has a plain TCP listener behind API Gateway, which records every request in its own access log.';
const WHY_NO_REQUEST_VALIDATOR =
  'API Gateway checks the query strings and headers the config marks required (requiredQuery, requiredHeaders) with its own validator; bodies are validated by the app, which owns their schema, so an API Gateway model would duplicate it.';

const WHY_NO_TEMPLATE_BUCKET_LOGS =
  "The bootstrap's staging bucket for template bodies over CloudFormation's inline limit: TLS only, never public, objects expire after 30 days, and each CreateChangeSet that reads one is in CloudTrail. Server access logs would need a second bucket and would record only those reads.";

/** Why a method needs no Cognito authorizer (COG4) or no authorizer at all (APIG4), from its auth: short, as every method repeats it. */
function methodSuppressions(properties: Record<string, Value>): NagSuppression[] {
  const type = properties.AuthorizationType;
  if (type === 'AWS_IAM') {
    const reason = 'auth: iam in the config: callers sign with SigV4 and IAM authorizes them.';
    return [{ id: 'AwsSolutions-COG4', reason }];
  }
  if (type !== 'NONE') return [];
  const reason =
    properties.ApiKeyRequired === true
      ? 'auth: api-key in the config: API Gateway refuses requests without a usage plan key.'
      : 'auth: none in the config: public by the owner’s choice; stage throttling applies.';
  return [
    { id: 'AwsSolutions-APIG4', reason },
    { id: 'AwsSolutions-COG4', reason },
  ];
}

/** How cdk-nag prints a policy resource: `${AWS::Region}` as `<AWS::Region>`, `Fn::GetAtt` as `<Id.Attr>`. */
function nagResourceName(resource: Value | undefined): string | undefined {
  if (typeof resource === 'string') return resource;
  if (resource && typeof resource === 'object' && !Array.isArray(resource)) {
    const sub = resource['Fn::Sub'];
    if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, '<$1>');
    const getAtt = resource['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(String).join('.')}>`;
  }
  return undefined;
}

/**
 * IAM5 exceptions for the role's wildcard resources. cdk-nag reports a wildcard once per role,
 * whatever statements use it, so one is excused only when every action granted on it, in any
 * statement, is one AWS authorizes only that way.
 */
function roleSuppressions(properties: Record<string, Value>, appName: string): NagSuppression[] {
  const policies = (properties.Policies ?? []) as { PolicyDocument: PolicyDocument }[];
  const trust = properties.AssumeRolePolicyDocument as { Statement: { Principal?: { Service?: Value } }[] };
  const apiGatewayLogging = trust.Statement.some((s) => s.Principal?.Service === 'apigateway.amazonaws.com');
  return policySuppressions(
    policies.map((p) => p.PolicyDocument),
    appName,
    apiGatewayLogging,
  );
}

type PolicyDocument = { Statement: Record<string, Value>[] };

/** Why each wildcard resource or action of a role's (or a managed policy's) statements stays. */
function policySuppressions(documents: PolicyDocument[], appName: string, apiGatewayLogging = false): NagSuppression[] {
  const reasonsByResource = new Map<string, Set<string | undefined>>();
  const wildcardActions = new Set<string>();
  for (const statement of documents.flatMap((d) => d.Statement)) {
    if (statement.Effect !== 'Allow') continue;
    const actions = [statement.Action].flat() as string[];
    for (const action of actions) if (action.endsWith(':Describe*')) wildcardActions.add(action);
    const bySid = typeof statement.Sid === 'string' ? WILDCARD_STATEMENTS[statement.Sid] : undefined;
    for (const resource of [statement.Resource].flat().map(nagResourceName)) {
      if (!resource?.includes('*')) continue;
      const reasons =
        apiGatewayLogging && actions.every((a) => a.startsWith('logs:'))
          ? [WHY_API_GATEWAY_LOGGING]
          : actions.every((action) => WILDCARD_ONLY[action])
            ? actions.map((action) => WILDCARD_ONLY[action])
            : [
                bySid ??
                  (namesAppResources(resource, appName)
                    ? WHY_NAME_PREFIX
                    : resource.startsWith('<TemplateBucket.Arn>/')
                      ? WHY_TEMPLATE_OBJECTS
                      : undefined),
              ];
      const known = reasonsByResource.get(resource) ?? new Set();
      for (const reason of reasons) known.add(reason);
      reasonsByResource.set(resource, known);
    }
  }
  const byReason = new Map<string, string[]>();
  for (const [resource, reasons] of reasonsByResource) {
    if ([...reasons].some((r) => r === undefined)) continue;
    const reason = [...reasons].join(' ');
    byReason.set(reason, [...(byReason.get(reason) ?? []), `Resource::${resource}`]);
  }
  if (wildcardActions.size > 0)
    byReason.set(
      WHY_DESCRIBE_ACTIONS,
      [...wildcardActions].map((a) => `Action::${a}`),
    );
  return [...byReason].map(([reason, findings]) => ({ id: 'AwsSolutions-IAM5', reason, applies_to: findings }));
}

function suppressionsFor(config: Config, id: string, resource: Resource): NagSuppression[] {
  const properties = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::ApiGateway::Method':
      return methodSuppressions(properties);
    case 'AWS::ApiGateway::RestApi':
      return [{ id: 'AwsSolutions-APIG2', reason: WHY_NO_REQUEST_VALIDATOR }];
    case 'AWS::ApiGateway::Stage':
      return [
        ...(config.api.wafWebAclArn
          ? []
          : [
              {
                id: 'AwsSolutions-APIG3',
                reason:
                  'No WAF web ACL in the config (api.wafWebAclArn): a web ACL is billed per month and per request and its rules are the owner’s to choose; stage throttling and per-route auth apply without one.',
              },
            ]),
        ...(config.api.accessLogs
          ? []
          : [{ id: 'AwsSolutions-APIG1', reason: 'Access logs turned off in the config (api.accessLogs: false).' }]),
      ];
    case 'AWS::EC2::VPC':
      return config.network.flowLogs
        ? []
        : [{ id: 'AwsSolutions-VPC7', reason: 'Flow logs turned off in the config (network.flowLogs: false).' }];
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return [{ id: 'AwsSolutions-ELB2', reason: WHY_NO_ACCESS_LOG_ON_NLB }];
    case 'AWS::ECS::TaskDefinition': {
      const containers = (properties.ContainerDefinitions ?? []) as { Environment?: unknown[] }[];
      return containers.some((c) => c.Environment !== undefined)
        ? [{ id: 'AwsSolutions-ECS2', reason: WHY_ENVIRONMENT }]
        : [];
    }
    case 'AWS::IAM::Role':
      return roleSuppressions(properties, config.name);
    case 'AWS::IAM::ManagedPolicy':
      return policySuppressions([properties.PolicyDocument as PolicyDocument], config.name);
    case 'AWS::S3::Bucket':
      return id === 'TemplateBucket' ? [{ id: 'AwsSolutions-S1', reason: WHY_NO_TEMPLATE_BUCKET_LOGS }] : [];
    default:
      return [];
  }
}

/** Adds each resource's exceptions to its metadata; resources without any are returned as they are. */
export function withNagSuppressions(config: Config, resources: Resources): Resources {
  return Object.fromEntries(
    Object.entries(resources).map(([id, resource]) => {
      const suppressions = suppressionsFor(config, id, resource);
      if (suppressions.length === 0) return [id, resource];
      const metadata = { ...resource.Metadata, cdk_nag: { rules_to_suppress: suppressions as unknown as Value } };
      return [id, { ...resource, Metadata: metadata }];
    }),
  );
}
