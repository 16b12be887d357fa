// Asks a real IAM policy engine (@cloud-copilot/iam-simulate, a devDependency: AGPL, never shipped)
// what the rendered roles may do. The templates' policies hold CloudFormation intrinsics, so they
// are first resolved the way CloudFormation would in one example account and Region.
import { createValidatedPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { Template, Value } from '../src/render/template.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const TEMPLATE_BUCKET = 'pubquiz-bootstrap-templatebucket-1a2b3c';
export const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

type Resolved = string | number | boolean | null | Resolved[] | { [key: string]: Resolved };

/** CloudFormation's intrinsics, resolved with the parameters' defaults in {@link ACCOUNT} / {@link REGION}. */
export function resolver(template: Template) {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::StackName': 'bootstrap',
  };
  const refOf = (id: string): string => {
    if (id in pseudo) return pseudo[id];
    const parameter = template.Parameters?.[id];
    if (parameter) return String(parameter.Default ?? '');
    const resource = template.Resources[id];
    if (!resource) throw new Error(`Ref to unknown ${id}`);
    const props = (resource.Properties ?? {}) as Record<string, string>;
    if (resource.Type === 'AWS::S3::Bucket') return TEMPLATE_BUCKET;
    if (resource.Type === 'AWS::IAM::ManagedPolicy')
      return `arn:aws:iam::${ACCOUNT}:policy${props.Path ?? '/'}${props.ManagedPolicyName}`;
    if (resource.Type === 'AWS::IAM::OIDCProvider') return OIDC_PROVIDER;
    if (resource.Type === 'AWS::IAM::Role') return props.RoleName ?? `${pseudo['AWS::StackName']}-${id}-X1Y2Z3`;
    return `${id}-id`;
  };
  const attOf = (id: string, attribute: string): string => {
    const resource = template.Resources[id];
    if (!resource) throw new Error(`GetAtt of unknown ${id}`);
    const props = (resource.Properties ?? {}) as Record<string, string>;
    if (resource.Type === 'AWS::IAM::Role' && attribute === 'Arn')
      return `arn:aws:iam::${ACCOUNT}:role${props.Path ?? '/'}${refOf(id)}`;
    if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${TEMPLATE_BUCKET}`;
    if (resource.Type === 'AWS::DynamoDB::Table' && attribute === 'Arn')
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/pubquiz-Table-X1Y2Z3`;
    if (resource.Type === 'AWS::Logs::LogGroup' && attribute === 'Arn')
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:pubquiz-${id}-X1Y2Z3:*`;
    throw new Error(`GetAtt ${id}.${attribute} is not modelled`);
  };
  const condition = (name: string): boolean => Boolean(resolve(template.Conditions?.[name] ?? false));
  const resolve = (value: Value | undefined): Resolved => {
    if (value === undefined) return null;
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const [key] = Object.keys(value);
    const arg = value[key];
    if (key === 'Ref') return refOf(arg as string);
    if (key === 'Fn::GetAtt') return attOf(...(arg as [string, string]));
    if (key === 'Fn::If') {
      const [name, yes, no] = arg as [string, Value, Value];
      return resolve(condition(name) ? yes : no);
    }
    if (key === 'Fn::Equals') {
      const [a, b] = (arg as Value[]).map(resolve);
      return a === b;
    }
    if (key === 'Fn::Not') return !resolve((arg as Value[])[0]);
    if (key === 'Fn::Sub') {
      return (arg as string).replace(/\$\{([^}]+)\}/g, (_, name: string) =>
        name.includes('.') && !name.startsWith('AWS::') ? attOf(name.split('.')[0], name.split('.')[1]) : refOf(name),
      );
    }
    if (key === 'Condition') return condition(arg as string);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve;
}

export interface RolePolicies {
  arn: string;
  identity: { name: string; policy: Resolved }[];
  boundary?: Resolved;
  trust: Resolved;
}

/** A role of the template with its inline policies, trust and boundary, resolved. `managed` resolves managed policies by ARN. */
export function rolePolicies(template: Template, id: string, managed: Record<string, Resolved> = {}): RolePolicies {
  const resolve = resolver(template);
  const props = template.Resources[id]?.Properties;
  if (!props) throw new Error(`${id} is not in the template`);
  const policies = (props.Policies ?? []) as { PolicyName: string; PolicyDocument: Value }[];
  const boundaryArn =
    props.PermissionsBoundary === undefined ? undefined : (resolve(props.PermissionsBoundary) as string);
  if (boundaryArn !== undefined && !(boundaryArn in managed)) throw new Error(`boundary ${boundaryArn} is not known`);
  return {
    arn: resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string,
    identity: policies.map((p) => ({ name: p.PolicyName, policy: resolve(p.PolicyDocument) })),
    boundary: boundaryArn === undefined ? undefined : managed[boundaryArn],
    trust: resolve(props.AssumeRolePolicyDocument),
  };
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

/**
 * What the engine decides for a request the role makes in its own account. Unknown actions,
 * resource types or condition keys are errors, so a typo in a policy or a question fails loudly;
 * so is a context key the action does not take.
 */
export async function decide(role: RolePolicies, { action, resource, context = {} }: Request): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: role.arn,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:RequestedRegion': REGION, ...context },
      },
      identityPolicies: role.identity,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      permissionBoundaryPolicies: role.boundary ? [{ name: 'boundary', policy: role.boundary }] : undefined,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  // A key the engine drops would make a "cannot" answer hollow: every key asked about must count.
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) throw new Error(`${action} on ${resource}: the engine ignores ${ignored.join(', ')}`);
  return result.overallResult;
}

/**
 * Whether a GitHub job's OIDC token with these claims may assume the role. The engine's action
 * data lists GitHub's newer claims (ref, environment, …) but not sub and aud, and its validating
 * entry point drops context keys it does not list, so the trust policy is evaluated with the
 * entry point that keeps every key as given (after checking the trust policy's syntax).
 */
export function canAssumeWithToken(role: RolePolicies, claims: Record<string, string>): Decision {
  const context = Object.fromEntries(
    Object.entries({ aud: 'sts.amazonaws.com', ...claims }).map(([k, v]) => [
      `token.actions.githubusercontent.com:${k}`,
      v,
    ]),
  );
  const trust = createValidatedPolicy(role.trust, validateTrustPolicy, { name: 'trust' });
  if (trust.errors.length > 0) throw new Error(`trust policy of ${role.arn}: ${JSON.stringify(trust.errors)}`);
  const result = runUnsafeSimulation(
    {
      request: {
        principal: OIDC_PROVIDER,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: role.arn, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust,
    },
    {},
  );
  return result;
}
