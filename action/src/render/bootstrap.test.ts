import { describe, expect, it } from '@jest/globals';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { checkTemplate } from '../../test-support/cfn-spec.js';
import { renderBootstrap } from './bootstrap.js';
import { everythingInput } from '../../test-support/configs.js';
import { STATEMENTS_WITHOUT_RESOURCE_SCOPE } from './bootstrap-execution-role.js';
import type { Template, Value } from './template.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: Value;
  Condition?: Record<string, Record<string, Value>>;
};

function bootstrapFor(bootstrap: ConfigInput['bootstrap'], extra: Partial<ConfigInput> = {}): Template {
  return renderBootstrap(configSchema.parse({ name: 'pubquiz', service: { port: 8080 }, bootstrap, ...extra }));
}

function policyStatements(template: Template, role: string): Statement[] {
  const policies = template.Resources[role].Properties!.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

function trustStatements(template: Template, role: string): Statement[] {
  return (template.Resources[role].Properties!.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
}

const trustStatement = (template: Template) => trustStatements(template, 'DeployRole')[0];

const actions = (s: Statement) => ([] as string[]).concat(s.Action);

describe('renderBootstrap', () => {
  it('explains what is missing when the config has no bootstrap section', () => {
    expect(() => renderBootstrap(configSchema.parse({ name: 'pubquiz', service: { port: 8080 } }))).toThrow(
      /bootstrap\.repository/,
    );
  });

  it.each([
    ['main and production, the default', { repository: 'acme/pubquiz' }],
    ['one branch', { repository: 'acme/pubquiz', branch: 'main' }],
    [
      'one environment, existing provider',
      { repository: 'acme/pubquiz', environment: 'production', createOidcProvider: false },
    ],
    ['an environment on one branch', { repository: 'acme/pubquiz', branch: 'main', environment: 'production' }],
  ])('renders a template CloudFormation accepts for %s', (_, bootstrap) => {
    expect(checkTemplate(bootstrapFor(bootstrap))).toEqual([]);
  });

  it('lets only the named repository and branch assume the deploy role, for STS', () => {
    const trust = trustStatement(bootstrapFor({ repository: 'acme/pubquiz', branch: 'main' }));
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:acme/pubquiz:ref:refs/heads/main',
      },
    });
  });

  it('by default trusts pushes to main and the production environment, one statement each', () => {
    const statements = trustStatements(bootstrapFor({ repository: 'acme/pubquiz' }), 'DeployRole');
    expect(statements.map((s) => s.Condition!.StringEquals['token.actions.githubusercontent.com:sub'])).toEqual([
      'repo:acme/pubquiz:ref:refs/heads/main',
      'repo:acme/pubquiz:environment:production',
    ]);
  });

  it('gives pull requests the plan role only, and renders no plan role when asked not to', () => {
    const template = bootstrapFor({ repository: 'acme/pubquiz' });
    expect(trustStatements(template, 'PlanRole')[0].Condition!.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/pubquiz:pull_request',
    });
    expect(template.Outputs!.PlanRoleArn).toBeDefined();
    const without = bootstrapFor({ repository: 'acme/pubquiz', planRole: false });
    expect(without.Resources.PlanRole).toBeUndefined();
    expect(without.Outputs!.PlanRoleArn).toBeUndefined();
  });

  it('refuses a trust that lets every pull request or branch deploy, naming the entry and the way out', () => {
    const wide = { repository: 'acme/pubquiz', deployFrom: [{ branch: 'main' }, { subject: '*' }] };
    const result = configSchema.safeParse({ name: 'pubquiz', service: { port: 8080 }, bootstrap: wide });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      expect.stringMatching(/^bootstrap\.deployFrom\.1: repo:acme\/pubquiz:\* would let every pull request/),
    ]);
    expect(issues[0]).toContain('bootstrap.trustEveryWorkflow: true');
    expect(
      configSchema.safeParse({
        name: 'pubquiz',
        service: { port: 8080 },
        bootstrap: { repository: 'acme/pubquiz', deployFrom: [{ subject: 'ref:refs/heads/*' }] },
      }).success,
    ).toBe(false);
    expect(() => bootstrapFor({ ...wide, trustEveryWorkflow: true })).not.toThrow();
  });

  it('creates the OIDC provider only when asked, else trusts the existing one', () => {
    const created = bootstrapFor({ repository: 'acme/pubquiz' });
    const existing = bootstrapFor({ repository: 'acme/pubquiz', createOidcProvider: false });
    expect(created.Parameters!.CreateOidcProvider.Default).toBe('true');
    expect(existing.Parameters!.CreateOidcProvider.Default).toBe('false');
    expect(existing.Resources.GitHubOidcProvider.Condition).toBe('CreatesOidcProvider');
    expect(JSON.stringify(trustStatement(existing))).toContain('oidc-provider/token.actions.githubusercontent.com');
  });

  it("gives API Gateway the account's logging role, so the first stage with logs can be created", () => {
    const template = bootstrapFor({ repository: 'acme/pubquiz' });
    expect(template.Resources.ApiGatewayAccount).toMatchObject({
      Type: 'AWS::ApiGateway::Account',
      Condition: 'SetsApiGatewayLoggingRole',
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'] } },
    });
    // Other APIs in the account keep logging through it after this stack is gone.
    expect(template.Resources.ApiGatewayCloudWatchRole.DeletionPolicy).toBe('Retain');
    expect(template.Parameters!.SetApiGatewayLoggingRole.Default).toBe('true');
  });

  it('lets the deploy role pass the execution role, to CloudFormation only, and no other role', () => {
    const passing = policyStatements(bootstrapFor({ repository: 'acme/pubquiz' }), 'DeployRole').filter((s) =>
      actions(s).some((a) => a === '*' || a === 'iam:*' || a === 'iam:PassRole'),
    );
    expect(passing).toEqual([
      expect.objectContaining({
        Action: ['iam:PassRole'],
        Resource: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      }),
    ]);
  });

  it('creates change sets only with the execution role, on stacks of this app only', () => {
    const statements = policyStatements(bootstrapFor({ repository: 'acme/pubquiz' }), 'DeployRole');
    const creating = statements.filter(
      (s) => s.Effect === 'Allow' && actions(s).includes('cloudformation:CreateChangeSet'),
    );
    expect(creating).toHaveLength(1);
    expect(creating[0].Condition!.StringEquals).toEqual({
      'cloudformation:RoleArn': { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
      'aws:RequestTag/Project': 'pubquiz',
    });
    // Drift detection status is the one CloudFormation read AWS scopes to no resource.
    for (const s of statements.filter(
      (s) =>
        s.Effect === 'Allow' &&
        s.Sid !== 'ReadDriftDetectionStatus' &&
        actions(s).some((a) => a.startsWith('cloudformation:')),
    )) {
      expect(JSON.stringify(s.Resource)).toMatch(/stack\/pubquiz\/\*.*stack\/pubquiz-\*\/\*/);
    }
  });

  it('pushes to its own repository only', () => {
    const statements = policyStatements(
      bootstrapFor({ repository: 'acme/pubquiz' }, { image: { repository: 'team/quiz' } }),
      'DeployRole',
    );
    const push = statements.find((s) => actions(s).includes('ecr:PutImage'))!;
    expect(push.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/team/quiz',
    });
  });

  it('uses resource "*" only where AWS allows nothing narrower, and never allows a wildcard action', () => {
    const template = bootstrapFor({ repository: 'acme/pubquiz' });
    const unscoped = (role: string) =>
      policyStatements(template, role)
        .filter((s) => s.Effect === 'Allow' && s.Resource === '*')
        .map((s) => s.Sid);
    expect(unscoped('DeployRole')).toEqual([
      'ReadDriftDetectionStatus',
      'RegistryLogin',
      'ListServiceTasks',
      'ReadTargetHealth',
    ]);
    expect(unscoped('ExecutionRole')).toEqual([...STATEMENTS_WITHOUT_RESOURCE_SCOPE]);
    for (const role of ['DeployRole', 'PlanRole', 'ExecutionRole']) {
      for (const s of policyStatements(template, role).filter((s) => s.Effect === 'Allow')) {
        expect(actions(s).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
        if (s.Resource === '*' && s.Sid !== 'RegistryLogin') expect(s.Condition).toBeDefined();
      }
    }
  });

  it('puts every role it creates, and the boundary, under its own IAM path, out of reach of the app prefix', () => {
    const template = bootstrapFor({ repository: 'acme/pubquiz' });
    for (const id of ['DeployRole', 'PlanRole', 'ExecutionRole', 'PermissionsBoundary'])
      expect(template.Resources[id].Properties!.Path).toBe('/private-fargate-api/');
    expect(template.Resources.PermissionsBoundary.Properties!.ManagedPolicyName).toBe('pubquiz-boundary');
  });

  it('lets CloudFormation register the tagged task definition: ECS checks ecs:TagResource with it, on new revisions only', () => {
    const statements = policyStatements(bootstrapFor({ repository: 'acme/pubquiz' }), 'ExecutionRole');
    const tagging = statements.filter(
      (s) => actions(s).includes('ecs:TagResource') && JSON.stringify(s.Resource).includes(':task-definition/'),
    );
    expect(tagging).toEqual([
      expect.objectContaining({ Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } } }),
    ]);
  });

  it("lets CloudFormation create the CloudWatch alarms of the autoscaling policy, named after the app's service", () => {
    const statements = policyStatements(bootstrapFor({ repository: 'acme/pubquiz' }), 'ExecutionRole');
    const alarms = statements.find((s) => actions(s).includes('cloudwatch:PutMetricAlarm'))!;
    expect(actions(alarms)).toEqual(expect.arrayContaining(['cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms']));
    expect(alarms.Resource).toEqual({
      'Fn::Sub':
        'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:TargetTracking-service/pubquiz-*',
    });
  });

  it("keeps each role's inline policies under IAM's 10,240-character limit, even with every option", () => {
    const template = renderBootstrap(
      configSchema.parse({ ...everythingInput, bootstrap: { repository: 'acme/kitchen-sink' } }),
    );
    for (const role of ['DeployRole', 'PlanRole', 'ExecutionRole']) {
      const size = JSON.stringify(template.Resources[role].Properties!.Policies).replace(/\s/g, '').length;
      expect(size).toBeLessThan(10_240);
    }
  });
});
