// What CloudFormation itself may do while it creates, updates and deletes the application stack:
// the broad rights live here, in a role only CloudFormation can assume and only the deploy and
// plan roles may pass. Scoped to the app wherever AWS allows it:
// - by name: CloudFormation names what it creates "<stack>-<logicalId>-<random>", and stacks are
//   "<name>" or "<name>-…", so roles, log groups, tables, clusters and services start with "<name>";
// - by tag: every resource carries the stack's `Project: <name>` tag; deleting networking and load
//   balancers needs it, and anything tagged for another project is denied outright;
// - by config: Lambda targets, the web ACL and the v1 VPC link's endpoint service only when used.
// Roles can only be created or changed with the permissions boundary attached, and nothing here
// reaches the boundary or the bootstrap's own roles (they live under /private-fargate-api/).
//
// Resource "*" remains only where AWS offers nothing narrower (each statement says why), and those
// statements are held to this Region with aws:RequestedRegion.
import type { Value } from './template.js';
import type { Config } from '../config/schema.js';
import { sub } from './intrinsics.js';

/** The statement ids whose Resource is "*", because the AWS API allows nothing narrower. */
export const STATEMENTS_WITHOUT_RESOURCE_SCOPE = [
  'Networking',
  'NetworkingOwnResources',
  'LoadBalancing',
  'LoadBalancingOwnResources',
  'TaskDefinitions',
  'AutoScaling',
] as const;

/** The tag every resource of the app's stacks carries (the deploy sets it on the stack, CloudFormation copies it down). */
export const PROJECT_TAG = 'Project';

export function statement(sid: string, actions: string[], resource: Value, condition?: Value): Value {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: actions,
    Resource: resource,
    ...(condition ? { Condition: condition } : {}),
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` for this stack's Region and account. */
export function arn(service: string, resource: string, { region = true } = {}): Value {
  return sub(`arn:\${AWS::Partition}:${service}:${region ? '${AWS::Region}' : ''}:\${AWS::AccountId}:${resource}`);
}

const regionOnly: Value = { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } };

const ownTag = (name: string): Value => ({
  StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' }, [`aws:ResourceTag/${PROJECT_TAG}`]: name },
});

/** The execution role's rights for the stacks of the app `config.name`; `boundary` is the permissions boundary's ARN. */
export function executionRoleStatements(config: Config, boundary: Value, bootstrapPath: string): Value[] {
  const { name } = config;
  const v1 = config.api.vpcLink === 'v1';
  const lambdaTargets = [...new Set(config.api.routes.map((r) => r.target).filter((t) => t.startsWith('arn:')))].sort();
  const statements: Value[] = [
    // EC2 gives new VPCs, subnets, gateways and security groups generated ids, and its Describe
    // calls take no resource: creating and wiring them up can only be allowed Region-wide.
    statement(
      'Networking',
      [
        'ec2:Describe*',
        'ec2:CreateTags',
        'ec2:CreateVpc',
        'ec2:ModifyVpcAttribute',
        'ec2:CreateSubnet',
        'ec2:ModifySubnetAttribute',
        'ec2:CreateInternetGateway',
        'ec2:AttachInternetGateway',
        'ec2:CreateRouteTable',
        'ec2:AssociateRouteTable',
        'ec2:CreateRoute',
        'ec2:AllocateAddress',
        'ec2:CreateNatGateway',
        'ec2:CreateFlowLogs',
        'ec2:CreateVpcEndpoint',
        'ec2:ModifyVpcEndpoint',
        'ec2:CreateSecurityGroup',
        'ec2:ModifySecurityGroupRules',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        // A v1 VPC link is an endpoint service in front of the load balancer, made with the caller's rights.
        ...(v1 ? ['ec2:CreateVpcEndpointServiceConfiguration', 'ec2:ModifyVpcEndpointServicePermissions'] : []),
      ],
      '*',
      regionOnly,
    ),
    // Taking networking apart needs the project's tag on what is removed: ids are generated, so
    // the tag is the only thing that tells this app's resources from any other in the Region.
    statement(
      'NetworkingOwnResources',
      [
        'ec2:DeleteTags',
        'ec2:DeleteVpc',
        'ec2:DeleteSubnet',
        'ec2:DeleteInternetGateway',
        'ec2:DetachInternetGateway',
        'ec2:DeleteRouteTable',
        'ec2:DisassociateRouteTable',
        'ec2:DeleteRoute',
        'ec2:ReplaceRoute',
        'ec2:ReleaseAddress',
        'ec2:DeleteNatGateway',
        'ec2:DeleteFlowLogs',
        'ec2:DeleteVpcEndpoints',
        'ec2:DeleteSecurityGroup',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        ...(v1 ? ['ec2:DeleteVpcEndpointServiceConfigurations'] : []),
      ],
      '*',
      ownTag(name),
    ),
    // Load balancers and target groups get generated names and ARNs: creation is Region-wide.
    statement(
      'LoadBalancing',
      [
        'elasticloadbalancing:Describe*',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:CreateListener',
      ],
      '*',
      regionOnly,
    ),
    statement(
      'LoadBalancingOwnResources',
      [
        'elasticloadbalancing:RemoveTags',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:ModifyListener',
      ],
      '*',
      ownTag(name),
    ),
    statement(
      'Containers',
      [
        'ecs:CreateCluster',
        'ecs:DeleteCluster',
        'ecs:DescribeClusters',
        'ecs:UpdateCluster',
        'ecs:UpdateClusterSettings',
        'ecs:PutClusterCapacityProviders',
        'ecs:CreateService',
        'ecs:UpdateService',
        'ecs:DeleteService',
        'ecs:DescribeServices',
        'ecs:TagResource',
        'ecs:UntagResource',
        'ecs:ListTagsForResource',
      ],
      [arn('ecs', `cluster/${name}-*`), arn('ecs', `service/${name}-*/*`)],
    ),
    // RegisterTaskDefinition and DescribeTaskDefinition accept no resource but "*".
    statement('TaskDefinitions', ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'], '*', regionOnly),
    statement('RetireTaskDefinitions', ['ecs:DeregisterTaskDefinition'], arn('ecs', `task-definition/${name}-*:*`)),
    // The stack tags its task definition, and ECS authorizes tags given to RegisterTaskDefinition as
    // ecs:TagResource on the new revision; the condition allows tagging nothing that already exists.
    statement('TagNewTaskDefinitions', ['ecs:TagResource'], arn('ecs', 'task-definition/*'), {
      StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' },
    }),
    // Scalable targets are named by the service they scale, not by an ARN IAM can match before they exist.
    statement(
      'AutoScaling',
      [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:DeleteScalingPolicy',
        'application-autoscaling:DescribeScalingPolicies',
        'application-autoscaling:TagResource',
        'application-autoscaling:UntagResource',
        'application-autoscaling:ListTagsForResource',
      ],
      '*',
      regionOnly,
    ),
    // A target tracking policy runs on CloudWatch alarms, and Application Auto Scaling checks that its
    // caller may manage them; it names them after the scaled service ("<cluster>/<service>").
    statement(
      'ScalingAlarms',
      ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'],
      arn('cloudwatch', `alarm:TargetTracking-service/${name}-*`),
    ),
    // The stack's dashboard is named after the stack and its Region (dashboard names are account-wide).
    statement(
      'Dashboards',
      ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
      arn('cloudwatch', `dashboard/${name}-*`, { region: false }),
    ),
    statement(
      'Logs',
      [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:UntagLogGroup',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
      ],
      arn('logs', `log-group:${name}-*`),
    ),
    // DescribeLogGroups lists by prefix, so it is authorized against every log group of the account.
    statement('FindLogGroups', ['logs:DescribeLogGroups'], arn('logs', 'log-group:*')),
    // Roles: created, changed and deleted only while they carry the boundary, so no role this
    // stack makes can ever do more than the boundary allows.
    statement(
      'RolesWithBoundary',
      [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:PutRolePermissionsBoundary',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:UpdateAssumeRolePolicy',
      ],
      arn('iam', `role/${name}-*`, { region: false }),
      { StringEquals: { 'iam:PermissionsBoundary': boundary } },
    ),
    statement(
      'ReadAndTagRoles',
      [
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:TagRole',
        'iam:UntagRole',
      ],
      arn('iam', `role/${name}-*`, { region: false }),
    ),
    statement('PassAppRoles', ['iam:PassRole'], arn('iam', `role/${name}-*`, { region: false }), {
      StringEquals: {
        'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'apigateway.amazonaws.com'],
      },
    }),
    statement(
      'ServiceLinkedRoles',
      ['iam:CreateServiceLinkedRole'],
      arn('iam', 'role/aws-service-role/*', { region: false }),
      {
        StringEquals: {
          'iam:AWSServiceName': [
            'ecs.amazonaws.com',
            'ecs.application-autoscaling.amazonaws.com',
            'elasticloadbalancing.amazonaws.com',
            'ops.apigateway.amazonaws.com',
          ],
        },
      },
    ),
    // API Gateway authorizes by REST path; these are the paths the stack's resources live under.
    // /account (the Region's logging role, account-wide) only when the config asks the stack to
    // set it (api.cloudWatchRole); otherwise the bootstrap sets it. No other domain names.
    statement(
      'Api',
      ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
      [
        ...['/restapis', '/restapis/*', '/vpclinks', '/vpclinks/*', '/apikeys', '/apikeys/*'],
        ...['/usageplans', '/usageplans/*', '/tags/*'],
        ...(config.api.cloudWatchRole ? ['/account'] : []),
        ...(config.api.domain
          ? [`/domainnames/${config.api.domain.name}`, `/domainnames/${config.api.domain.name}/*`]
          : []),
      ].map((path) => sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}::${path}`)),
    ),
    statement(
      'Table',
      [
        'dynamodb:CreateTable',
        'dynamodb:DeleteTable',
        'dynamodb:DescribeTable',
        'dynamodb:UpdateTable',
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:UpdateTimeToLive',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
        'dynamodb:ListTagsOfResource',
      ],
      arn('dynamodb', `table/${name}-*`),
    ),
  ];
  if (config.api.wafWebAclArn) {
    // Associating a web ACL with a REST API stage needs the stage's own apigateway:SetWebACL too.
    statements.push(
      statement(
        'Firewall',
        [
          'wafv2:AssociateWebACL',
          'wafv2:DisassociateWebACL',
          'wafv2:GetWebACL',
          'wafv2:GetWebACLForResource',
          'apigateway:SetWebACL',
        ],
        [config.api.wafWebAclArn, sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/*/stages/*')],
      ),
    );
  }
  if (lambdaTargets.length > 0) {
    statements.push(
      statement(
        'LambdaTargets',
        ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetFunction'],
        lambdaTargets,
      ),
    );
  }
  return [...statements, ...guardrails(name, boundary, bootstrapPath)];
}

/** Explicit denies: they win over any allow, here or in a policy someone attaches later. */
function guardrails(name: string, boundary: Value, bootstrapPath: string): Value[] {
  return [
    // The boundary and the bootstrap's roles (deploy, plan, this one) are out of reach entirely.
    {
      Sid: 'NeverTouchBootstrap',
      Effect: 'Deny',
      Action: 'iam:*',
      Resource: [
        arn('iam', `policy${bootstrapPath}*`, { region: false }),
        arn('iam', `role${bootstrapPath}*`, { region: false }),
      ],
    },
    // No role without the boundary: not at creation, not by removing or swapping it later.
    {
      Sid: 'NeverDropTheBoundary',
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundary } },
    },
    { Sid: 'NeverRemoveABoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
    // Another project's resources, recognised by its tag, are never changed (reading stays allowed).
    {
      Sid: 'NeverTouchOtherProjects',
      Effect: 'Deny',
      NotAction: ['ec2:Describe*', 'elasticloadbalancing:Describe*', 'logs:Describe*', 'logs:ListTags*'],
      Resource: '*',
      Condition: {
        StringNotEquals: { [`aws:ResourceTag/${PROJECT_TAG}`]: name },
        Null: { [`aws:ResourceTag/${PROJECT_TAG}`]: 'false' },
      },
    },
    // CloudFormation runs a template's macros while it computes a change set: this role invokes no
    // function, so a macro can never act as the execution role.
    { Sid: 'NoMacros', Effect: 'Deny', Action: 'lambda:InvokeFunction', Resource: '*' },
  ];
}
