// Which property changes replace a resource, read from the CloudFormation resource specification
// that @aws-cdk/aws-service-spec ships (the same data the CDK is generated from). Loaded once
// per process (~0.3 s), when the server starts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

export type RequiresRecreation = 'Never' | 'Conditionally' | 'Always';

interface SpecResource {
  cloudFormationType: string;
  properties?: Record<string, { causesReplacement?: 'yes' | 'maybe' }>;
}

let rules: Map<string, Record<string, RequiresRecreation>> | undefined;

function load(): Map<string, Record<string, RequiresRecreation>> {
  const require = createRequire(import.meta.url);
  const path = require.resolve('@aws-cdk/aws-service-spec/db.json.gz');
  const db = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
    schema: { resource: { entities: Record<string, SpecResource> } };
  };
  const byType = new Map<string, Record<string, RequiresRecreation>>();
  for (const resource of Object.values(db.schema.resource.entities)) {
    const properties: Record<string, RequiresRecreation> = {};
    for (const [name, property] of Object.entries(resource.properties ?? {})) {
      if (property.causesReplacement === 'yes') properties[name] = 'Always';
      if (property.causesReplacement === 'maybe') properties[name] = 'Conditionally';
    }
    byType.set(resource.cloudFormationType, properties);
  }
  return byType;
}

/** Loads the specification now (once per process), so that no request pays for it. */
export function loadSpecification(): void {
  rules ??= load();
}

/** Whether changing `property` of a resource of `type` recreates it. */
export function requiresRecreation(type: string, property: string): RequiresRecreation {
  rules ??= load();
  return rules.get(type)?.[property] ?? 'Never';
}

/** Whether CloudFormation knows this resource type (custom resources are always accepted). */
export function isKnownType(type: string): boolean {
  rules ??= load();
  return rules.has(type) || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}
