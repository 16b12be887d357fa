// The once-per-account template that lets one GitHub repository deploy the app without stored
// keys: GitHub's OIDC provider; a deploy role only the jobs the config lists can assume; a plan
// role for pull requests that can compute change sets and nothing more; a CloudFormation execution
// role with the broad rights, which those two can only pass to CloudFormation; and the permissions
// boundary every role the app's stacks create must carry.
import type { Config } from '../config/schema.js';
import type { Template, Value } from './template.js';
import { getAtt, policyDocument, ref, sub } from './intrinsics.js';
import { arn, executionRoleStatements, PROJECT_TAG, statement } from './bootstrap-execution-role.js';
import { BOOTSTRAP_PATH, boundaryPolicyName, boundaryStatements } from './bootstrap-boundary.js';
import { deployTrust, GITHUB_OIDC_HOST, planTrust } from './bootstrap-trust.js';
import { cloudWatchRole } from './api-stage.js';
import { withNagSuppressions } from './nag.js';

export { GITHUB_OIDC_HOST } from './bootstrap-trust.js';

export const BOOTSTRAP_OUTPUTS = {
  deployRole: 'DeployRoleArn',
  planRole: 'PlanRoleArn',
  executionRole: 'ExecutionRoleArn',
  boundary: 'PermissionsBoundaryArn',
  templateBucket: 'TemplateBucketName',
} as const;

/** Role names: fixed, so each role's policies can name the others without a circular reference. */
export const bootstrapRoleNames = (name: string) => ({
  deploy: `${name}-deploy`,
  plan: `${name}-plan`,
  execution: `${name}-execution`,
});

export function renderBootstrap(config: Config): Template {
  const bootstrap = config.bootstrap;
  if (!bootstrap) {
    throw new Error(
      'The bootstrap template needs bootstrap.repository (owner/name of the GitHub repository allowed to deploy) in the config.',
    );
  }
  const names = bootstrapRoleNames(config.name);

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
      PermissionsBoundary: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: boundaryPolicyName(config.name),
          Path: BOOTSTRAP_PATH,
          Description: `The most any role of ${config.name}'s stacks may do (their permissions boundary)`,
          PolicyDocument: policyDocument(boundaryStatements(config)),
        },
      },
      DeployRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: names.deploy,
          Path: BOOTSTRAP_PATH,
          Description: `Assumed by the GitHub Actions jobs of ${bootstrap.repository} that deploy ${config.name}`,
          AssumeRolePolicyDocument: policyDocument(deployTrust(bootstrap)),
          Policies: [{ PolicyName: 'deploy', PolicyDocument: policyDocument(deployStatements(config)) }],
        },
      },
      ...(bootstrap.planRole
        ? {
            PlanRole: {
              Type: 'AWS::IAM::Role',
              Properties: {
                RoleName: names.plan,
                Path: BOOTSTRAP_PATH,
                Description: `Assumed by pull request jobs of ${bootstrap.repository}: computes ${config.name}'s change sets, deploys nothing`,
                AssumeRolePolicyDocument: policyDocument(planTrust(bootstrap)),
                Policies: [{ PolicyName: 'plan', PolicyDocument: policyDocument(planStatements(config)) }],
              },
            },
          }
        : {}),
      ExecutionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: names.execution,
          Path: BOOTSTRAP_PATH,
          Description: `Assumed by CloudFormation to create the resources of ${config.name}'s stacks`,
          AssumeRolePolicyDocument: policyDocument([
            { Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ]),
          Policies: [
            {
              PolicyName: 'create-app-stack',
              PolicyDocument: policyDocument([
                ...executionRoleStatements(config, ref('PermissionsBoundary'), BOOTSTRAP_PATH),
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
      ...(bootstrap.planRole
        ? {
            [BOOTSTRAP_OUTPUTS.planRole]: {
              Description: 'role-to-assume for pull request jobs (plan mode)',
              Value: getAtt('PlanRole', 'Arn'),
            },
          }
        : {}),
      [BOOTSTRAP_OUTPUTS.boundary]: {
        Description: 'Permissions boundary every role of the app stacks carries',
        Value: ref('PermissionsBoundary'),
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

const stackArns = (name: string) => [
  arn('cloudformation', `stack/${name}/*`),
  arn('cloudformation', `stack/${name}-*/*`),
];

/**
 * Resource types no change set of the app may hold: nested stacks and stack sets (templates from
 * anywhere), macros, custom resources and functions (code), and IAM identities other than roles.
 */
const FORBIDDEN_RESOURCE_TYPES = [
  'AWS::CloudFormation::*',
  'Custom::*',
  'AWS::Serverless::*',
  'AWS::Lambda::Function',
  'AWS::Lambda::Version',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::AccessKey',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::UserToGroupAddition',
  'AWS::IAM::InstanceProfile',
];

/**
 * Creating a change set, for either role: as the execution role only, with the project tag the
 * execution role's tag conditions rely on, from an inline body or the template bucket, never
 * importing existing resources, never with a forbidden resource type.
 */
function createChangeSetStatements(config: Config, changeSetNames: string): Value[] {
  const executionRole = getAtt('ExecutionRole', 'Arn');
  return [
    statement('CreateChangeSetsAsExecutionRole', ['cloudformation:CreateChangeSet'], stackArns(config.name), {
      StringEquals: { 'cloudformation:RoleArn': executionRole, [`aws:RequestTag/${PROJECT_TAG}`]: config.name },
      StringLike: { 'cloudformation:ChangeSetName': changeSetNames },
      StringLikeIfExists: { 'cloudformation:TemplateUrl': sub('https://${TemplateBucket}.s3.*/*') },
      Null: { 'cloudformation:ImportResourceTypes': 'true' },
    }),
    {
      Sid: 'NoNestedStacksMacrosOrCode',
      Effect: 'Deny',
      Action: 'cloudformation:CreateChangeSet',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'cloudformation:ResourceTypes': FORBIDDEN_RESOURCE_TYPES } },
    },
    // Custom resources, registry modules (expanded while the change set is computed) and
    // third-party types run code outside the app: only AWS's own types.
    {
      Sid: 'OnlyAwsResourceTypes',
      Effect: 'Deny',
      Action: 'cloudformation:CreateChangeSet',
      Resource: '*',
      Condition: { 'ForAnyValue:StringNotLike': { 'cloudformation:ResourceTypes': 'AWS::*' } },
    },
    statement('PassExecutionRoleToCloudFormation', ['iam:PassRole'], executionRole, {
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    }),
  ];
}

/** The engine names a change set by its ARN after creating it: match the name either way. */
const changeSetNamed = (prefix: string) => [`${prefix}*`, `*:changeSet/${prefix}*`];

const READ_STACKS = [
  'cloudformation:DescribeChangeSet',
  'cloudformation:ListChangeSets',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:DescribeStackResources',
  'cloudformation:GetTemplate',
  // The plan's drift check: detection only reads the resources and reports.
  'cloudformation:DetectStackDrift',
  'cloudformation:DescribeStackResourceDrifts',
];

// Drift detection results are looked up by detection id; AWS accepts no resource for this action,
// so the Region is what narrows it.
const readDriftStatus = () =>
  statement('ReadDriftDetectionStatus', ['cloudformation:DescribeStackDriftDetectionStatus'], '*', {
    StringEquals: { 'aws:RequestedRegion': ref('AWS::Region') },
  });

/** The plan role: compute a change set, read it, delete it; look up the image; nothing that changes a stack. */
function planStatements(config: Config): Value[] {
  const repository = config.image.repository ?? config.name;
  return [
    ...createChangeSetStatements(config, 'pfa-plan-*'),
    statement('ReadStacks', READ_STACKS, stackArns(config.name)),
    readDriftStatus(),
    // Only its own change sets: a pull request cannot delete the one a deploy is about to execute.
    statement('DeletePlanChangeSets', ['cloudformation:DeleteChangeSet'], stackArns(config.name), {
      StringLike: { 'cloudformation:ChangeSetName': changeSetNamed('pfa-plan-') },
    }),
    // Whether the deploy repository already has the image for this source; never a push.
    statement('FindImages', ['ecr:DescribeRepositories', 'ecr:DescribeImages'], arn('ecr', `repository/${repository}`)),
    // Templates over the inline limit, under plan/ where no deploy reads.
    statement('UploadPlanTemplates', ['s3:PutObject', 's3:GetObject'], sub('${TemplateBucket.Arn}/plan/*')),
  ];
}

/** The deploy role: run change sets on this app's stacks, push its image, read why a deploy failed. */
function deployStatements(config: Config): Value[] {
  const stacks = stackArns(config.name);
  const repository = config.image.repository ?? config.name;
  return [
    // A change set must name the execution role, so the deploy role's own rights never create resources.
    ...createChangeSetStatements(config, 'pfa-*'),
    statement(
      'RunChangeSets',
      [
        ...READ_STACKS,
        'cloudformation:DeleteChangeSet',
        // A stack in ROLLBACK_COMPLETE can only be deleted; a stuck update can be cancelled.
        'cloudformation:CancelUpdateStack',
        'cloudformation:DeleteStack',
        'cloudformation:UpdateTerminationProtection',
        'cloudformation:TagResource',
      ],
      stacks,
    ),
    readDriftStatus(),
    // Only change sets a deploy created: one a pull request's plan left behind is never executed.
    statement('ExecuteDeployChangeSets', ['cloudformation:ExecuteChangeSet'], stacks, {
      StringLike: { 'cloudformation:ChangeSetName': changeSetNamed('pfa-deploy-') },
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
    // The live rollout view follows the service's deployment, and a rollback names its alarm.
    statement('FollowRollout', ['ecs:DescribeServiceDeployments'], arn('ecs', `service-deployment/${config.name}-*/*`)),
    statement('ExplainRollback', ['cloudwatch:DescribeAlarms'], arn('cloudwatch', `alarm:${config.name}-*`)),
    // ListTasks is authorized by the ecs:cluster condition key, not by a resource ARN.
    statement('ListServiceTasks', ['ecs:ListTasks'], '*', {
      ArnLike: { 'ecs:cluster': arn('ecs', `cluster/${config.name}-*`) },
    }),
    // Tells a stage-prefix mismatch from a down service when the smoke test answers 404. ELBv2's
    // Describe actions accept no narrower resource than `*`: the Region is what narrows it.
    statement('ReadTargetHealth', ['elasticloadbalancing:DescribeTargetHealth'], '*', {
      StringEquals: { 'aws:RequestedRegion': ref('AWS::Region') },
    }),
    // CloudFormation reads a TemplateURL with the caller's rights.
    statement('UploadTemplates', ['s3:PutObject', 's3:GetObject'], sub('${TemplateBucket.Arn}/*')),
  ];
}
