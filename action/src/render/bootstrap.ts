// The once-per-account template that lets one GitHub repository deploy the app without stored
// keys: GitHub's OIDC provider, a deploy role only that repository (and optionally one branch or
// environment) can assume, and a CloudFormation execution role with the broad rights, which the
// deploy role can only pass to CloudFormation, never use itself.
import type { Config } from '../config/schema.js';
import type { Template, Value } from './template.js';
import { getAtt, policyDocument, ref, sub } from './intrinsics.js';
import { arn, executionRoleStatements, statement } from './bootstrap-execution-role.js';
import { cloudWatchRole } from './api-stage.js';
import { withNagSuppressions } from './nag.js';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export const BOOTSTRAP_OUTPUTS = {
  deployRole: 'DeployRoleArn',
  executionRole: 'ExecutionRoleArn',
  templateBucket: 'TemplateBucketName',
} as const;

type Bootstrap = NonNullable<Config['bootstrap']>;

/** The `sub` claims GitHub puts in the tokens of the jobs allowed to deploy. */
export function allowedSubjects(bootstrap: Bootstrap): string[] {
  const repo = `repo:${bootstrap.repository}`;
  const subjects = [
    ...(bootstrap.branch ? [`${repo}:ref:refs/heads/${bootstrap.branch}`] : []),
    ...(bootstrap.environment ? [`${repo}:environment:${bootstrap.environment}`] : []),
  ];
  return subjects.length > 0 ? subjects : [`${repo}:*`];
}

export function renderBootstrap(config: Config): Template {
  const bootstrap = config.bootstrap;
  if (!bootstrap) {
    throw new Error(
      'The bootstrap template needs bootstrap.repository (owner/name of the GitHub repository allowed to deploy) in the config.',
    );
  }
  const subjects = allowedSubjects(bootstrap);
  const wildcard = subjects.some((s) => s.endsWith(':*'));
  const trust = policyDocument([
    {
      Effect: 'Allow',
      Principal: {
        Federated: {
          'Fn::If': [
            'CreatesOidcProvider',
            ref('GitHubOidcProvider'),
            {
              'Fn::If': [
                'HasOidcProviderArn',
                ref('OidcProviderArn'),
                sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${GITHUB_OIDC_HOST}`),
              ],
            },
          ],
        },
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          ...(wildcard ? {} : { [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : subjects }),
        },
        ...(wildcard ? { StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects[0] } } : {}),
      },
    },
  ]);

  const template: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${config.name}: GitHub OIDC deploy role for ${bootstrap.repository} and the CloudFormation execution role it passes (private-fargate-api bootstrap)`,
    Parameters: {
      CreateOidcProvider: {
        Type: 'String',
        AllowedValues: ['true', 'false'],
        Default: String(bootstrap.createOidcProvider),
        Description: `false when the account already has the ${GITHUB_OIDC_HOST} OIDC provider (an account can have only one)`,
      },
      OidcProviderArn: {
        Type: 'String',
        Default: '',
        AllowedPattern: '^$|^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$',
        Description: `ARN of the existing provider when CreateOidcProvider is false; empty means arn:<partition>:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`,
      },
      SetApiGatewayLoggingRole: {
        Type: 'String',
        AllowedValues: ['true', 'false'],
        Default: 'true',
        Description:
          "false when this Region's API Gateway account settings already name a CloudWatch Logs role (stage logs need one)",
      },
    },
    Conditions: {
      SetsApiGatewayLoggingRole: { 'Fn::Equals': [ref('SetApiGatewayLoggingRole'), 'true'] },
      CreatesOidcProvider: { 'Fn::Equals': [ref('CreateOidcProvider'), 'true'] },
      HasOidcProviderArn: { 'Fn::Not': [{ 'Fn::Equals': [ref('OidcProviderArn'), ''] }] },
    },
    Resources: {
      // Stage access and execution logs fail on a fresh account until API Gateway has a role to
      // write them with; it is an account-wide, per-Region setting, so it belongs here.
      ...withCondition(cloudWatchRole(), 'SetsApiGatewayLoggingRole'),
      GitHubOidcProvider: {
        Type: 'AWS::IAM::OIDCProvider',
        Condition: 'CreatesOidcProvider',
        // No thumbprints: IAM trusts GitHub's certificate through its own CA library.
        Properties: { Url: `https://${GITHUB_OIDC_HOST}`, ClientIdList: ['sts.amazonaws.com'] },
      },
      DeployRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `Assumed by GitHub Actions in ${bootstrap.repository} to deploy ${config.name}`,
          AssumeRolePolicyDocument: trust,
          Policies: [{ PolicyName: 'deploy', PolicyDocument: policyDocument(deployStatements(config)) }],
        },
      },
      ExecutionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `Assumed by CloudFormation to create the resources of ${config.name}'s stacks`,
          AssumeRolePolicyDocument: policyDocument([
            { Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ]),
          Policies: [
            {
              PolicyName: 'create-app-stack',
              PolicyDocument: policyDocument([
                ...executionRoleStatements(config.name),
                // Large templates come from the bucket; allow it whichever identity fetches them.
                statement('ReadTemplates', ['s3:GetObject'], sub('${TemplateBucket.Arn}/*')),
              ]),
            },
          ],
        },
      },
      // Templates over CloudFormation's 51,200-byte inline limit are uploaded here first.
      TemplateBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          LifecycleConfiguration: { Rules: [{ Id: 'expire-templates', Status: 'Enabled', ExpirationInDays: 30 }] },
        },
      },
      TemplateBucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: ref('TemplateBucket'),
          PolicyDocument: policyDocument([
            {
              Sid: 'TlsOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [getAtt('TemplateBucket', 'Arn'), sub('${TemplateBucket.Arn}/*')],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ]),
        },
      },
    },
    Outputs: {
      [BOOTSTRAP_OUTPUTS.deployRole]: {
        Description: 'role-to-assume for aws-actions/configure-aws-credentials',
        Value: getAtt('DeployRole', 'Arn'),
      },
      [BOOTSTRAP_OUTPUTS.executionRole]: {
        Description: 'role-arn for the deploy: CloudFormation acts as this role',
        Value: getAtt('ExecutionRole', 'Arn'),
      },
      [BOOTSTRAP_OUTPUTS.templateBucket]: {
        Description: 's3-bucket for templates over 51,200 bytes',
        Value: ref('TemplateBucket'),
      },
    },
  };
  return { ...template, Resources: withNagSuppressions(config, template.Resources) };
}

function withCondition(resources: Template['Resources'], condition: string): Template['Resources'] {
  return Object.fromEntries(
    Object.entries(resources).map(([id, resource]) => [id, { ...resource, Condition: condition }]),
  );
}

/** The deploy role: run change sets on this app's stacks, push its image, read why a deploy failed. */
function deployStatements(config: Config): Value[] {
  const stacks = [arn('cloudformation', `stack/${config.name}/*`), arn('cloudformation', `stack/${config.name}-*/*`)];
  const repository = config.image.repository ?? config.name;
  const executionRole = getAtt('ExecutionRole', 'Arn');
  return [
    // A change set must name the execution role, so the deploy role's own rights never create resources.
    statement('CreateChangeSetsAsExecutionRole', ['cloudformation:CreateChangeSet'], stacks, {
      StringEquals: { 'cloudformation:RoleArn': executionRole },
    }),
    statement(
      'RunChangeSets',
      [
        'cloudformation:DescribeChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:DeleteChangeSet',
        'cloudformation:ListChangeSets',
        'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents',
        'cloudformation:DescribeStackResources',
        'cloudformation:GetTemplate',
        // A stack in ROLLBACK_COMPLETE can only be deleted; a stuck update can be cancelled.
        'cloudformation:CancelUpdateStack',
        'cloudformation:DeleteStack',
        'cloudformation:UpdateTerminationProtection',
        'cloudformation:TagResource',
      ],
      stacks,
    ),
    statement('PassExecutionRoleToCloudFormation', ['iam:PassRole'], executionRole, {
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    }),
    // GetAuthorizationToken is account-wide: AWS accepts no narrower resource for it.
    statement('RegistryLogin', ['ecr:GetAuthorizationToken'], '*'),
    statement(
      'Repository',
      [
        'ecr:CreateRepository',
        'ecr:DescribeRepositories',
        'ecr:DescribeImages',
        'ecr:TagResource',
        'ecr:PutImageScanningConfiguration',
        'ecr:PutImageTagMutability',
        'ecr:PutLifecyclePolicy',
        'ecr:GetLifecyclePolicy',
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
      ],
      arn('ecr', `repository/${repository}`),
    ),
    // A deleted stack's deployed-<stack> tag is removed, so its image may expire; no more than
    // PutLifecyclePolicy above could already do to the repository's images.
    statement('UntagDeletedStacksImage', ['ecr:BatchDeleteImage'], arn('ecr', `repository/${repository}`)),
    statement(
      'DiagnoseService',
      ['ecs:DescribeServices', 'ecs:DescribeTasks'],
      [arn('ecs', `service/${config.name}-*/*`), arn('ecs', `task/${config.name}-*/*`)],
    ),
    // ListTasks is authorized by the ecs:cluster condition key, not by a resource ARN.
    statement('ListServiceTasks', ['ecs:ListTasks'], '*', {
      ArnLike: { 'ecs:cluster': arn('ecs', `cluster/${config.name}-*`) },
    }),
    // CloudFormation reads a TemplateURL with the caller's rights.
    statement('UploadTemplates', ['s3:PutObject', 's3:GetObject'], sub('${TemplateBucket.Arn}/*')),
  ];
}
