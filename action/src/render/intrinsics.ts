// CloudFormation intrinsic functions and the small helpers every layer shares, so a layer reads
// like the template it produces.
import type { Resource, Value } from './template.js';

export const ref = (logicalId: string): Value => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string): Value => ({ 'Fn::GetAtt': [logicalId, attribute] });
export const sub = (text: string): Value => ({ 'Fn::Sub': text });
export const join = (separator: string, values: Value[]): Value => ({ 'Fn::Join': [separator, values] });
export const select = (index: number, list: Value): Value => ({ 'Fn::Select': [index, list] });
/** The Region's Availability Zones, in the order AWS lists them. */
export const availabilityZones: Value = { 'Fn::GetAZs': '' };

/** Resources keyed by logical id: what every layer returns. */
export type Resources = Record<string, Resource>;

/** Merges layers' resources; a logical id two layers both claim is a bug, not an override. */
export function mergeResources(...layers: Resources[]): Resources {
  const merged: Resources = {};
  for (const layer of layers) {
    for (const [id, resource] of Object.entries(layer)) {
      if (id in merged) throw new Error(`two layers render the logical id ${id}`);
      merged[id] = resource;
    }
  }
  return merged;
}

/** An IAM policy document, the only version IAM supports. */
export function policyDocument(statements: Value[]): Value {
  return { Version: '2012-10-17', Statement: statements };
}

export function allow(action: string[], resource: Value): Value {
  return { Effect: 'Allow', Action: action, Resource: resource };
}

/**
 * A role a service can assume. `aws:SourceAccount` keeps another account's resources from using
 * the service to act through this role (the confused-deputy problem).
 */
export function serviceRole(
  service: string,
  policies: { name: string; statements: Value[] }[],
  { sourceAccount = true }: { sourceAccount?: boolean } = {},
): Resource {
  const statement: Record<string, Value> = {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
  };
  if (sourceAccount) statement.Condition = { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } };
  const properties: Record<string, Value> = { AssumeRolePolicyDocument: policyDocument([statement]) };
  const withStatements = policies.filter((p) => p.statements.length > 0);
  if (withStatements.length > 0) {
    properties.Policies = withStatements.map((p) => ({
      PolicyName: p.name,
      PolicyDocument: policyDocument(p.statements),
    }));
  }
  return { Type: 'AWS::IAM::Role', Properties: properties };
}
