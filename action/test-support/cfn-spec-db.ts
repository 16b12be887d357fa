// The CloudFormation resource specification from @aws-cdk/aws-service-spec, loaded once per module
// registry (that is, once per jest test file) and indexed by resource type.
//
// The package's own loadAwsServiceSpecSync() builds a full @cdklabs/tskb database with indexes
// we never use (~400 ms); gunzipping and parsing the same db.json.gz ourselves takes about half
// that. We rely only on the serialized shape below, and fail loudly if it ever changes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

export type SpecType =
  | { type: 'string'; allowedValues?: string[] }
  | { type: 'integer'; allowedValues?: number[] }
  | { type: 'number' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'union'; types: SpecType[] };

export interface SpecProperty {
  type: SpecType;
  previousTypes?: SpecType[];
  required?: boolean;
}

export interface SpecResource {
  cloudFormationType: string;
  properties: Record<string, SpecProperty>;
  attributes: Record<string, { type: SpecType }>;
}

export interface SpecTypeDefinition {
  name: string;
  properties: Record<string, SpecProperty>;
}

export interface Spec {
  resource(type: string): SpecResource | undefined;
  typeDefinition(ref: { $ref: string }): SpecTypeDefinition;
}

interface Serialized {
  schema?: {
    resource?: { entities?: SpecResource[] };
    typeDefinition?: { entities?: (SpecTypeDefinition & { $id: string })[] };
  };
}

let cached: Spec | undefined;

export function loadSpec(): Spec {
  if (cached) return cached;
  const path = createRequire(import.meta.url).resolve('@aws-cdk/aws-service-spec/db.json.gz');
  const db = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Serialized;
  const resources = db.schema?.resource?.entities;
  const definitions = db.schema?.typeDefinition?.entities;
  if (!Array.isArray(resources) || !Array.isArray(definitions)) {
    throw new Error(`${path}: unexpected layout (no schema.resource/typeDefinition entities); update cfn-spec-db.ts`);
  }
  const byType = new Map(resources.map((r) => [r.cloudFormationType, r]));
  const byId = new Map(definitions.map((d) => [d.$id, d]));
  cached = {
    resource: (type) => byType.get(type),
    typeDefinition: (ref) => {
      const definition = byId.get(ref.$ref);
      if (!definition) throw new Error(`spec type definition ${ref.$ref} is missing`);
      return definition;
    },
  };
  return cached;
}
