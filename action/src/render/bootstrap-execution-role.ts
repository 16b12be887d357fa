// What CloudFormation itself may do while it creates, updates and deletes the application stack:
// the broad rights live here, in a role only CloudFormation can assume and only the deploy role
// may pass. Scoped by name wherever the stack's resources have predictable names: CloudFormation
// names what it creates "<stack>-<logicalId>-<random>", and stacks are "<name>" or "<name>-…",
// so roles, log groups, tables, clusters and services all start with "<name>".
//
// Resource "*" remains only where AWS offers nothing narrower (each statement says why):
// EC2 networking and load balancers get generated ids and their Describe calls take no resource;
// ECS task definition calls and Application Auto Scaling take no resource. Those statements are
// held to this Region with aws:RequestedRegion.
import type { Value } from './template.js';
import { sub } from './intrinsics.js';

/** The statement ids whose Resource is "*", because the AWS API allows nothing narrower. */
export const STATEMENTS_WITHOUT_RESOURCE_SCOPE = [
  'Networking',
  'LoadBalancing',
  'TaskDefinitions',
  'AutoScaling',
] as const;

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

/** The execution role's rights for the stacks of the app called `name`. */
export function executionRoleStatements(name: string): Value[] {
  return [
    statement(
      'Networking',
      [
        'ec2:Describe*',
        'ec2:CreateTags',
        'ec2:DeleteTags',
        'ec2:CreateVpc',
        'ec2:DeleteVpc',
        'ec2:ModifyVpcAttribute',
        'ec2:CreateSubnet',
        'ec2:DeleteSubnet',
        'ec2:ModifySubnetAttribute',
        'ec2:CreateInternetGateway',
        'ec2:DeleteInternetGateway',
        'ec2:AttachInternetGateway',
        'ec2:DetachInternetGateway',
        'ec2:CreateRouteTable',
        'ec2:DeleteRouteTable',
        'ec2:AssociateRouteTable',
        'ec2:DisassociateRouteTable',
        'ec2:CreateRoute',
        'ec2:DeleteRoute',
        'ec2:ReplaceRoute',
        'ec2:AllocateAddress',
        'ec2:ReleaseAddress',
        'ec2:AssociateAddress',
        'ec2:DisassociateAddress',
        'ec2:CreateNatGateway',
        'ec2:DeleteNatGateway',
        'ec2:CreateFlowLogs',
        'ec2:DeleteFlowLogs',
        'ec2:CreateVpcEndpoint',
        'ec2:ModifyVpcEndpoint',
        'ec2:DeleteVpcEndpoints',
        'ec2:CreateSecurityGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:ModifySecurityGroupRules',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupEgress',
        // A v1 VPC link is an endpoint service in front of the load balancer, made with the caller's rights.
        'ec2:CreateVpcEndpointServiceConfiguration',
        'ec2:ModifyVpcEndpointServicePermissions',
        'ec2:DeleteVpcEndpointServiceConfigurations',
      ],
      '*',
      regionOnly,
    ),
    statement(
      'LoadBalancing',
      [
        'elasticloadbalancing:Describe*',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:ModifyListener',
      ],
      '*',
      regionOnly,
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
    statement(
      'TaskDefinitions',
      ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
      '*',
      regionOnly,
    ),
    // The stack tags its task definition, and ECS authorizes tags given to RegisterTaskDefinition as
    // ecs:TagResource on the new revision; the condition allows tagging nothing that already exists.
    statement('TagNewTaskDefinitions', ['ecs:TagResource'], arn('ecs', 'task-definition/*'), {
      StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' },
    }),
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
    // A target tracking policy runs on CloudWatch alarms, and Application Auto Scaling checks that
    // its caller may manage alarms before it creates them (under names of its own choosing).
    statement(
      'ScalingAlarms',
      ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'],
      arn('cloudwatch', 'alarm:*'),
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
    statement(
      'Roles',
      [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:PutRolePolicy',
        'iam:GetRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PassRole',
      ],
      arn('iam', `role/${name}-*`, { region: false }),
    ),
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
    // API Gateway authorizes by REST path (/restapis/…, /vpclinks/…, /account, /domainnames/…).
    statement(
      'Api',
      ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
      sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/*'),
    ),
    // Associating a web ACL with a REST API stage needs the stage's own apigateway:SetWebACL too.
    statement(
      'Firewall',
      [
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        'apigateway:SetWebACL',
      ],
      [
        arn('wafv2', 'regional/webacl/*/*'),
        sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/*/stages/*'),
      ],
    ),
    statement(
      'LambdaTargets',
      ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetFunction'],
      sub('arn:${AWS::Partition}:lambda:*:${AWS::AccountId}:function:*'),
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
}
