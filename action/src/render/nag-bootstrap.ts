// Why the bootstrap's roles and boundary keep the wildcards cdk-nag's IAM5 reports, grant by grant:
// the same reasons as the comments beside each statement in bootstrap.ts and
// bootstrap-execution-role.ts, carried into the template for a reviewer who reads only it.

/** Statement id → why its resource cannot be narrower. */
export const WILDCARD_STATEMENTS: Record<string, string> = {
  ReadDriftDetectionStatus:
    'cloudformation:DescribeStackDriftDetectionStatus accepts no resource (detections are looked up by id); the aws:RequestedRegion condition keeps it to this Region.',
  ListServiceTasks:
    "ecs:ListTasks is authorized by its ecs:cluster condition key, not a resource ARN; the condition names only this app's clusters.",
  Networking:
    'EC2 gives new VPCs, subnets, gateways, routes and security groups generated ids, and its Describe calls take no resource: creating and wiring them can only be allowed Region-wide (aws:RequestedRegion).',
  NetworkingOwnResources:
    "Networking ids are generated, so changing or deleting them is allowed only on resources carrying this app's Project tag (aws:ResourceTag condition), in this Region.",
  LoadBalancing:
    'Load balancers and target groups get generated names and ARNs, and their Describe calls take no resource: creation is allowed Region-wide (aws:RequestedRegion).',
  LoadBalancingOwnResources:
    "Load balancer ARNs are generated, so changing or deleting them is allowed only on resources carrying this app's Project tag (aws:ResourceTag condition), in this Region.",
  TaskDefinitions:
    'ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition accept no resource but *; the Region condition narrows them, and deregistering is limited to this app’s families.',
  TagNewTaskDefinitions:
    'ECS authorizes the tags given to RegisterTaskDefinition as ecs:TagResource on the new revision, whose ARN does not exist yet; the ecs:CreateAction condition allows tagging nothing that already exists.',
  AutoScaling:
    'Scalable targets are named by the service they scale, not by an ARN IAM can match before they exist; the Region condition narrows them.',
  ServiceLinkedRoles:
    'CloudFormation has AWS create the ECS, load balancing and autoscaling service-linked roles on first use; the iam:AWSServiceName condition names those services only.',
  Api: "API Gateway authorizes by REST path and gives APIs, keys, usage plans and VPC links generated ids: the grant lists only the paths the app's stack uses.",
  Firewall:
    "Associating the config's web ACL needs apigateway:SetWebACL on the stage, and a REST API's id is generated: the grant names the one web ACL the config gives and stages of the Region's REST APIs.",
  ApiGatewayLogging:
    "API Gateway's account-wide logging role writes the execution logs of every API in the Region to log groups API Gateway names per API and stage; AWS's managed policy for this role grants the same (only with api.cloudWatchRole).",
  FindLogGroups:
    "logs:DescribeLogGroups is authorized against the account's log-group:* pattern only; it lists names, and writes are granted on the app's own log groups.",
};

export const WHY_NAME_PREFIX =
  "Names only this app's own resources, by the prefix every name the stack gives them starts with; CloudFormation generates the rest, so no narrower ARN exists before it creates them, and other apps' resources never match.";

export const WHY_TEMPLATE_OBJECTS =
  "Objects of the bootstrap's own template bucket, under keys the deploy derives from each template's hash when it runs.";

export const WHY_DESCRIBE_ACTIONS =
  'Read-only Describe calls CloudFormation makes to read back what it creates; AWS accepts no resource for them.';

/** A policy resource (as cdk-nag prints it) that names the app's resources by its prefix. */
export function namesAppResources(resource: string, appName: string): boolean {
  return [`${appName}-*`, `/${appName}/`, `:${appName}/`].some((prefix) => resource.includes(prefix));
}
