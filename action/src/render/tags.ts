// Stack-wide tags (`Project: <name>` plus the config's tags) on every resource type that takes them.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import type { Resources } from './intrinsics.js';

/**
 * Types whose `Tags` is a list of `{ Key, Value }`. The Listener and the ScalableTarget take Tags
 * too, but the schemas cfn-lint (and many pipelines) validate against predate that property, so
 * they are left to the stack-level tags, which CloudFormation propagates to them anyway.
 */
const LIST_TAGGED = new Set([
  'AWS::EC2::VPC',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::EIP',
  'AWS::EC2::NatGateway',
  'AWS::EC2::FlowLog',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::SecurityGroup',
  'AWS::Logs::LogGroup',
  'AWS::IAM::Role',
  'AWS::ECS::Cluster',
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::Service',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::VpcLink',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::DomainName',
  'AWS::DynamoDB::Table',
]);
/** Types whose `Tags` is a `{ key: value }` map. */
const MAP_TAGGED = new Set(['AWS::ApiGatewayV2::VpcLink']);

export function stackTags(config: Config): Record<string, string> {
  return { Project: config.name, ...config.tags };
}

/** Adds the stack's tags to each taggable resource, keeping any tag a resource already sets (its Name). */
export function tagResources(resources: Resources, tags: Record<string, string>): Resources {
  const sorted = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)); // keys are unique: never equal
  if (sorted.length === 0) return resources;
  const tagged: Resources = {};
  for (const [id, resource] of Object.entries(resources)) {
    const properties = resource.Properties ?? {};
    if (LIST_TAGGED.has(resource.Type)) {
      const own = (properties.Tags as { Key: string; Value: Value }[] | undefined) ?? [];
      const added = sorted
        .filter(([key]) => !own.some((tag) => tag.Key === key))
        .map(([Key, Value]) => ({ Key, Value }));
      tagged[id] = { ...resource, Properties: { ...properties, Tags: [...own, ...added] } };
    } else if (MAP_TAGGED.has(resource.Type)) {
      const own = (properties.Tags as Record<string, Value> | undefined) ?? {};
      tagged[id] = {
        ...resource,
        Properties: { ...properties, Tags: { ...Object.fromEntries(sorted), ...own } },
      };
    } else {
      tagged[id] = resource;
    }
  }
  return tagged;
}
