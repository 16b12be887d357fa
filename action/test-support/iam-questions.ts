// The questions a security reviewer asks of the bootstrap's roles, each with the answer the trust
// model promises. The IAM test asks the engine every one of them for each config; the table
// script (`npx tsx action/test-support/iam-table.ts`) prints the engine's answers.
import type { Config } from '../src/config/schema.js';
import { renderBootstrap } from '../src/render/bootstrap.js';
import { renderStack } from '../src/render/index.js';
import { ACCOUNT, REGION, TEMPLATE_BUCKET, canAssumeWithToken, decide, resolver, rolePolicies } from './iam.js';
import type { Decision, Request, RolePolicies } from './iam.js';
import { deploySubjects, subjectClaim } from '../src/config/bootstrap-subjects.js';

export interface Question {
  role: 'deploy' | 'plan' | 'execution' | 'app task role';
  question: string;
  /** What the trust model promises: allowed or not (explicitly or implicitly denied). */
  allowed: boolean;
  ask: () => Promise<Decision>;
}

const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const regional = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

export function questionsFor(config: Config): Question[] {
  const { name } = config;
  const bootstrap = renderBootstrap(config);
  const resolve = resolver(bootstrap);
  const boundaryArn = resolve({ Ref: 'PermissionsBoundary' }) as string;
  const boundaryDoc = resolve(bootstrap.Resources.PermissionsBoundary.Properties!.PolicyDocument);
  const deploy = rolePolicies(bootstrap, 'DeployRole');
  const plan = bootstrap.Resources.PlanRole ? rolePolicies(bootstrap, 'PlanRole') : undefined;
  const execution = rolePolicies(bootstrap, 'ExecutionRole');
  const stack = regional('cloudformation', `stack/${name}/0f1e2d3c`);
  const repository = regional('ecr', `repository/${config.image.repository ?? name}`);
  const appRole = iam(`role/${name}-TaskRole-X1Y2Z3`);
  const withBoundary = { 'iam:PermissionsBoundary': boundaryArn };
  const project = (value: string) => ({ 'aws:ResourceTag/Project': value });
  const changeSet = (changeSetName: string, extra: Record<string, string | string[]> = {}): Request => ({
    action: 'cloudformation:CreateChangeSet',
    resource: stack,
    context: {
      'cloudformation:RoleArn': execution.arn,
      'cloudformation:ChangeSetName': changeSetName,
      'aws:RequestTag/Project': name,
      'aws:TagKeys': ['Project'],
      'cloudformation:ResourceTypes': ['AWS::ECS::Service', 'AWS::IAM::Role'],
      ...extra,
    },
  });
  const q = (
    role: Question['role'],
    policies: RolePolicies,
    question: string,
    allowed: boolean,
    request: Request,
  ): Question => ({ role, question, allowed, ask: () => decide(policies, request) });
  const token = (
    role: Question['role'],
    policies: RolePolicies,
    question: string,
    allowed: boolean,
    claims: Record<string, string>,
  ): Question => ({
    role,
    question,
    allowed,
    ask: () => Promise.resolve(canAssumeWithToken(policies, claims)),
  });
  const repo = config.bootstrap!.repository;

  const listed = deploySubjects(config.bootstrap!).map((entry) => ({
    sub: subjectClaim(repo, entry).replace(/\*/g, '1.2.3').replace(/\?/g, 'x'),
    ...(entry.branch && entry.environment ? { ref: `refs/heads/${entry.branch}` } : {}),
  }));
  const lambdaTargets = config.api.routes.map((r) => r.target).filter((t) => t.startsWith('arn:'));
  const questions: Question[] = [
    // Who gets in.
    ...listed.map((claims) => token('deploy', deploy, `a job with sub ${claims.sub} assumes it`, true, claims)),
    token('deploy', deploy, 'a pull_request token assumes it', false, { sub: `repo:${repo}:pull_request` }),
    token('deploy', deploy, 'a token of another repository assumes it', false, {
      sub: `repo:someone/else:ref:refs/heads/main`,
    }),
    token('deploy', deploy, 'a token for another audience assumes it', false, {
      sub: `repo:${repo}:ref:refs/heads/main`,
      aud: 'other',
    }),
    token('deploy', deploy, 'a push to an unlisted branch assumes it', false, {
      sub: `repo:${repo}:ref:refs/heads/feature-x`,
    }),
    // What the execution role can never do.
    q('execution', execution, 'create an app role with the boundary', true, {
      action: 'iam:CreateRole',
      resource: appRole,
      context: withBoundary,
    }),
    q('execution', execution, 'create an app role without a boundary', false, {
      action: 'iam:CreateRole',
      resource: appRole,
    }),
    q('execution', execution, 'create an app role with another boundary', false, {
      action: 'iam:CreateRole',
      resource: appRole,
      context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' },
    }),
    q('execution', execution, 'put a policy on a role without the boundary', false, {
      action: 'iam:PutRolePolicy',
      resource: appRole,
    }),
    q('execution', execution, "remove an app role's boundary", false, {
      action: 'iam:DeleteRolePermissionsBoundary',
      resource: appRole,
      context: withBoundary,
    }),
    q('execution', execution, 'create a role outside the app', false, {
      action: 'iam:CreateRole',
      resource: iam('role/admin'),
      context: withBoundary,
    }),
    q('execution', execution, 'change the boundary policy', false, {
      action: 'iam:CreatePolicyVersion',
      resource: boundaryArn,
    }),
    q('execution', execution, 'delete the boundary policy', false, {
      action: 'iam:DeletePolicy',
      resource: boundaryArn,
    }),
    q('execution', execution, "change the deploy role's policy", false, {
      action: 'iam:PutRolePolicy',
      resource: deploy.arn,
      context: withBoundary,
    }),
    q('execution', execution, 'change its own policy', false, {
      action: 'iam:PutRolePolicy',
      resource: execution.arn,
      context: withBoundary,
    }),
    q('execution', execution, 'pass an app role to ECS tasks', true, {
      action: 'iam:PassRole',
      resource: appRole,
      context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    }),
    q('execution', execution, 'pass an app role to Lambda', false, {
      action: 'iam:PassRole',
      resource: appRole,
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    }),
    q('execution', execution, "delete the app's own security group", true, {
      action: 'ec2:DeleteSecurityGroup',
      resource: regional('ec2', 'security-group/sg-0123'),
      context: project(name),
    }),
    q('execution', execution, "delete another project's security group", false, {
      action: 'ec2:DeleteSecurityGroup',
      resource: regional('ec2', 'security-group/sg-0456'),
      context: project('other'),
    }),
    q('execution', execution, 'delete an untagged security group', false, {
      action: 'ec2:DeleteSecurityGroup',
      resource: regional('ec2', 'security-group/sg-0789'),
    }),
    q('execution', execution, "delete another project's load balancer", false, {
      action: 'elasticloadbalancing:DeleteLoadBalancer',
      resource: regional('elasticloadbalancing', 'loadbalancer/net/other/0123'),
      context: project('other'),
    }),
    q('execution', execution, "change another project's REST API", false, {
      action: 'apigateway:PATCH',
      resource: `arn:aws:apigateway:${REGION}::/restapis/a1b2c3`,
      context: project('other'),
    }),
    q(
      'execution',
      execution,
      "change the Region's API Gateway account settings (only with api.cloudWatchRole)",
      config.api.cloudWatchRole,
      {
        action: 'apigateway:PATCH',
        resource: `arn:aws:apigateway:${REGION}::/account`,
      },
    ),
    q('execution', execution, 'grant API Gateway access to a Lambda the config does not name', false, {
      action: 'lambda:AddPermission',
      resource: regional('lambda', 'function:payroll'),
    }),
    ...lambdaTargets.map((target) =>
      q('execution', execution, 'grant API Gateway access to the Lambda the config names', true, {
        action: 'lambda:AddPermission',
        resource: target,
      }),
    ),
    q('execution', execution, 'invoke a function (a macro)', false, {
      action: 'lambda:InvokeFunction',
      resource: regional('lambda', 'function:macro'),
    }),
    q('execution', execution, "delete another app's table", false, {
      action: 'dynamodb:DeleteTable',
      resource: regional('dynamodb', 'table/payroll'),
    }),
    q('execution', execution, "delete the app's own table", true, {
      action: 'dynamodb:DeleteTable',
      resource: regional('dynamodb', `table/${name}-Table-X1Y2Z3`),
    }),
    q('execution', execution, 'create a VPC endpoint service (v1 VPC link)', config.api.vpcLink === 'v1', {
      action: 'ec2:CreateVpcEndpointServiceConfiguration',
      resource: regional('ec2', 'vpc-endpoint-service/*'),
    }),
    // The deploy role.
    q('deploy', deploy, 'create a change set as the execution role', true, changeSet('pfa-deploy-1')),
    q('deploy', deploy, 'create a change set with its own rights', false, {
      ...changeSet('pfa-deploy-1'),
      context: { 'cloudformation:ChangeSetName': 'pfa-deploy-1', 'aws:RequestTag/Project': name },
    }),
    q(
      'deploy',
      deploy,
      'create a change set tagged for another project',
      false,
      changeSet('pfa-deploy-1', { 'aws:RequestTag/Project': 'other' }),
    ),
    q(
      'deploy',
      deploy,
      'create a change set with a nested stack',
      false,
      changeSet('pfa-deploy-1', {
        'cloudformation:ResourceTypes': ['AWS::CloudFormation::Stack', 'AWS::IAM::Role'],
      }),
    ),
    q(
      'deploy',
      deploy,
      'create a change set importing existing resources',
      false,
      changeSet('pfa-deploy-1', {
        'cloudformation:ImportResourceTypes': ['AWS::IAM::Role'],
      }),
    ),
    q(
      'deploy',
      deploy,
      'create a change set from a template outside the bucket',
      false,
      changeSet('pfa-deploy-1', {
        'cloudformation:TemplateUrl': 'https://evil.example.com/t.json',
      }),
    ),
    q('deploy', deploy, "create a change set on another app's stack", false, {
      ...changeSet('pfa-deploy-1'),
      resource: regional('cloudformation', 'stack/payroll/0f1e'),
    }),
    q('deploy', deploy, 'execute a deploy change set', true, {
      action: 'cloudformation:ExecuteChangeSet',
      resource: stack,
      context: { 'cloudformation:ChangeSetName': regional('cloudformation', 'changeSet/pfa-deploy-1/0a1b') },
    }),
    q('deploy', deploy, "execute a change set a pull request's plan left", false, {
      action: 'cloudformation:ExecuteChangeSet',
      resource: stack,
      context: { 'cloudformation:ChangeSetName': 'pfa-plan-1' },
    }),
    q('deploy', deploy, 'pass the execution role to CloudFormation', true, {
      action: 'iam:PassRole',
      resource: execution.arn,
      context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    }),
    q('deploy', deploy, 'pass the execution role to EC2', false, {
      action: 'iam:PassRole',
      resource: execution.arn,
      context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    }),
    q('deploy', deploy, 'pass an app role', false, {
      action: 'iam:PassRole',
      resource: appRole,
      context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    }),
    q('deploy', deploy, 'push to the deploy repository', true, { action: 'ecr:PutImage', resource: repository }),
    q('deploy', deploy, 'push to another repository', false, {
      action: 'ecr:PutImage',
      resource: regional('ecr', 'repository/payroll'),
    }),
    q('deploy', deploy, 'create a role itself', false, {
      action: 'iam:CreateRole',
      resource: appRole,
      context: withBoundary,
    }),
    q('deploy', deploy, 'change a service itself', false, {
      action: 'ecs:UpdateService',
      resource: regional('ecs', `service/${name}-Cluster-1/${name}-Service-1`),
    }),
    q('deploy', deploy, 'read a secret', false, {
      action: 'secretsmanager:GetSecretValue',
      resource: regional('secretsmanager', `secret:${name}/key-AbCdEf`),
    }),
    q('deploy', deploy, 'read the app table', false, {
      action: 'dynamodb:Scan',
      resource: regional('dynamodb', `table/${name}-Table-X1Y2Z3`),
    }),
    q('deploy', deploy, 'write an object outside the template bucket', false, {
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::some-bucket/key',
    }),
  ];
  if (plan) {
    questions.push(
      token('plan', plan, 'a pull_request token assumes it', true, { sub: `repo:${repo}:pull_request` }),
      token('plan', plan, 'a pull_request token of another repository assumes it', false, {
        sub: 'repo:someone/else:pull_request',
      }),
      q('plan', plan, 'create a plan change set as the execution role', true, changeSet('pfa-plan-1')),
      q('plan', plan, 'create a change set named like a deploy', false, changeSet('pfa-deploy-1')),
      q(
        'plan',
        plan,
        'create a change set with a custom resource',
        false,
        changeSet('pfa-plan-1', {
          'cloudformation:ResourceTypes': ['Custom::Anything'],
        }),
      ),
      q(
        'plan',
        plan,
        'create a change set with a registry module',
        false,
        changeSet('pfa-plan-1', { 'cloudformation:ResourceTypes': ['AWS::ECS::Service', 'Acme::Net::Vpc::MODULE'] }),
      ),
      q('plan', plan, 'execute a change set', false, {
        action: 'cloudformation:ExecuteChangeSet',
        resource: stack,
        context: { 'cloudformation:ChangeSetName': 'pfa-plan-1' },
      }),
      q('plan', plan, 'delete the stack', false, { action: 'cloudformation:DeleteStack', resource: stack }),
      q('plan', plan, 'turn termination protection off', false, {
        action: 'cloudformation:UpdateTerminationProtection',
        resource: stack,
      }),
      q('plan', plan, "delete a deploy's change set", false, {
        action: 'cloudformation:DeleteChangeSet',
        resource: stack,
        context: { 'cloudformation:ChangeSetName': 'pfa-deploy-1' },
      }),
      q('plan', plan, 'delete its own change set', true, {
        action: 'cloudformation:DeleteChangeSet',
        resource: stack,
        context: { 'cloudformation:ChangeSetName': regional('cloudformation', 'changeSet/pfa-plan-1/0a1b') },
      }),
      q('plan', plan, 'read the stack', true, { action: 'cloudformation:DescribeStacks', resource: stack }),
      q('plan', plan, 'check the stack for drift', true, {
        action: 'cloudformation:DetectStackDrift',
        resource: stack,
      }),
      q('plan', plan, 'read the drifted resources', true, {
        action: 'cloudformation:DescribeStackResourceDrifts',
        resource: stack,
      }),
      q('plan', plan, 'read a drift detection status in its Region', true, {
        action: 'cloudformation:DescribeStackDriftDetectionStatus',
        resource: '*',
        context: { 'aws:RequestedRegion': REGION },
      }),
      q('plan', plan, 'read a drift detection status in another Region', false, {
        action: 'cloudformation:DescribeStackDriftDetectionStatus',
        resource: '*',
        context: { 'aws:RequestedRegion': 'ap-south-1' },
      }),
      q('plan', plan, 'look up an image in the deploy repository', true, {
        action: 'ecr:DescribeImages',
        resource: repository,
      }),
      q('plan', plan, 'push a layer to the deploy repository', false, {
        action: 'ecr:InitiateLayerUpload',
        resource: repository,
      }),
      q('plan', plan, 'push an image to the deploy repository', false, {
        action: 'ecr:PutImage',
        resource: repository,
      }),
      q('plan', plan, 'overwrite a template a deploy reads', false, {
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${TEMPLATE_BUCKET}/${name}/template-0123.json`,
      }),
      q('plan', plan, 'upload its own template', true, {
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${TEMPLATE_BUCKET}/plan/${name}/template-0123.json`,
      }),
      q('plan', plan, 'pass the execution role to CloudFormation', true, {
        action: 'iam:PassRole',
        resource: execution.arn,
        context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
      }),
    );
  }
  questions.push(...appRoleQuestions(config, boundaryArn, boundaryDoc));
  return questions;
}

/**
 * The boundary in action: the app stack's task role, given `*:*` as a hostile template would,
 * still does only what the boundary allows.
 */
function appRoleQuestions(config: Config, boundaryArn: string, boundaryDoc: unknown): Question[] {
  const app = renderStack(config);
  const task = rolePolicies(app, 'TaskRole', { [boundaryArn]: boundaryDoc as never });
  const hostile: RolePolicies = {
    ...task,
    identity: [
      ...task.identity,
      {
        name: 'admin',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
    ],
  };
  const q = (question: string, allowed: boolean, request: Request): Question => ({
    role: 'app task role',
    question,
    allowed,
    ask: () => decide(hostile, request),
  });
  const tableUse: Question[] = config.storage.dynamodb
    ? [
        q('with *:* added, read its own table', true, {
          action: 'dynamodb:GetItem',
          resource: regional('dynamodb', `table/${config.name}-Table-X1Y2Z3`),
        }),
      ]
    : [];
  return [
    ...tableUse,
    q('with *:* added, create an IAM user', false, { action: 'iam:CreateUser', resource: iam('user/backdoor') }),
    q('with *:* added, read any bucket', false, {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::payroll/salaries.csv',
    }),
    q("with *:* added, read another app's table", false, {
      action: 'dynamodb:Scan',
      resource: regional('dynamodb', 'table/payroll'),
    }),
  ];
}
