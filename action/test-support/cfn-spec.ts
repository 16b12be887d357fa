// Validates a rendered template the way CloudFormation would before creating anything, against
// the resource specification shipped in @aws-cdk/aws-service-spec: resource types and property
// names exist, required properties are present, values have the right shape (intrinsic functions
// allowed wherever a value goes, with the shape they return), and every reference resolves
// (cfn-references.ts). Returns one message per problem, naming resource, property path and fault.
//
// Scalars are checked the way CloudFormation coerces them: a string property takes 8080, a
// number or boolean property takes "8080" or "true". Shapes (list, object, scalar) are strict.
import { suggestKey } from '../src/config/problems.js';
import { formatTemplate } from '../src/render/index.js';
import type { Template, Value } from '../src/render/template.js';
import { checkReferences, getAttParts, intrinsicName, PSEUDO_PARAMETERS } from './cfn-references.js';
import { loadSpec, type Spec, type SpecProperty, type SpecType } from './cfn-spec-db.js';

/** CloudFormation's limit for a template body passed inline (larger ones go through S3). */
export const INLINE_BODY_LIMIT = 51_200;

export function checkTemplate(template: Template): string[] {
  const spec = loadSpec();
  const problems = checkStructure(template);
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type.startsWith('Custom::')) continue; // custom resources take any properties
    const type = spec.resource(resource.Type);
    if (!type) {
      problems.push(`Resources.${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    const values = new ValueChecker(spec, template, `Resources.${id} (${resource.Type}) `);
    problems.push(...values.object(resource.Properties ?? {}, type.properties, 'Properties', resource.Type));
  }
  return [...problems, ...checkReferences(template, spec)];
}

/**
 * Bytes of the body as CloudFormation would receive it: compact JSON (what the action deploys),
 * and the indented JSON and YAML that `render` writes for people (formatTemplate).
 */
export function templateBodySizes(template: Template): { json: number; indentedJson: number; yaml: number } {
  return {
    json: Buffer.byteLength(JSON.stringify(template)),
    indentedJson: Buffer.byteLength(formatTemplate(template, 'json')),
    yaml: Buffer.byteLength(formatTemplate(template, 'yaml')),
  };
}

const FORMAT_NAMES = { json: 'JSON', indentedJson: 'indented JSON', yaml: 'YAML' } as const;

/** A message per format whose body is over CloudFormation's inline limit. */
export function checkTemplateSize(template: Template, limit = INLINE_BODY_LIMIT): string[] {
  return (Object.entries(templateBodySizes(template)) as [keyof typeof FORMAT_NAMES, number][])
    .filter(([, bytes]) => bytes > limit)
    .map(
      ([format, bytes]) =>
        `template body as ${FORMAT_NAMES[format]} is ${bytes} bytes, over the ${limit}-byte inline limit`,
    );
}

const PARAMETER_TYPE =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::SSM::Parameter::Name|AWS::SSM::Parameter::Value<.+>|(List<)?(AWS::EC2::\w+::\w+|AWS::Route53::HostedZone::Id)>?)$/;
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
]);
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

function checkStructure(template: Template): string[] {
  const problems: string[] = [];
  const sections = { Parameters: 200, Resources: 500, Outputs: 200 } as const;
  for (const [section, max] of Object.entries(sections)) {
    const ids = Object.keys(template[section as keyof typeof sections] ?? {});
    if (ids.length > max) problems.push(`${section}: ${ids.length} entries, over CloudFormation's limit of ${max}`);
    for (const id of ids.filter((i) => !LOGICAL_ID.test(i)))
      problems.push(`${section}.${id}: logical ids must be 1-255 letters and digits`);
  }
  if (Object.keys(template.Resources ?? {}).length === 0)
    problems.push('Resources: a template needs at least one resource');
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (PSEUDO_PARAMETERS.has(name)) problems.push(`Parameters.${name}: shadows a pseudo parameter`);
    if (!PARAMETER_TYPE.test(parameter.Type))
      problems.push(`Parameters.${name}: unknown parameter type ${parameter.Type}`);
    const given = parameter.Default === undefined ? undefined : String(parameter.Default);
    if (given !== undefined && parameter.AllowedValues && !parameter.AllowedValues.includes(given)) {
      problems.push(`Parameters.${name}: Default ${given} is not one of its AllowedValues`);
    }
    if (
      given !== undefined &&
      parameter.AllowedPattern &&
      !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(given)
    ) {
      problems.push(`Parameters.${name}: Default ${given} does not match its AllowedPattern`);
    }
  }
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    for (const key of Object.keys(resource).filter((k) => !RESOURCE_KEYS.has(k)))
      problems.push(`Resources.${id}: unknown resource attribute ${key}`);
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Value === undefined || output.Value === null) problems.push(`Outputs.${name}: has no Value`);
  }
  return problems;
}

type Shape = 'scalar' | 'list' | 'any' | 'nothing';

const TAG: Record<string, SpecProperty> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

class ValueChecker {
  constructor(
    private readonly spec: Spec,
    private readonly template: Template,
    private readonly prefix: string,
  ) {}

  object(value: Value, properties: Record<string, SpecProperty>, path: string, typeName: string): string[] {
    if (!isPlainObject(value)) return [this.wrong(path, `a ${typeName} object`, value)];
    if (Object.keys(properties).length === 0) return []; // free-form in the spec
    const problems: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      const property = properties[key];
      if (!property) {
        problems.push(`${this.prefix}${path}.${key}: unknown property${suggest(key, Object.keys(properties))}`);
        continue;
      }
      const found = this.value(child, property.type, `${path}.${key}`);
      const olderTypeFits =
        found.length > 0 && (property.previousTypes ?? []).some((t) => this.value(child, t, path).length === 0);
      if (!olderTypeFits) problems.push(...found);
    }
    for (const [key, property] of Object.entries(properties)) {
      if (property.required && !(key in value))
        problems.push(`${this.prefix}${path}: missing required property ${key}`);
    }
    return problems;
  }

  value(value: Value, type: SpecType, path: string): string[] {
    const fn = intrinsicName(value);
    if (fn === 'Fn::If') {
      const branches = (value as { 'Fn::If': Value[] })['Fn::If'];
      if (!Array.isArray(branches) || branches.length !== 3) return []; // reported with the references
      return [
        ...this.value(branches[1], type, `${path}.Fn::If[1]`),
        ...this.value(branches[2], type, `${path}.Fn::If[2]`),
      ];
    }
    if (fn) {
      const shape = this.shapeOf(fn, (value as Record<string, Value>)[fn]);
      return fits(shape, type)
        ? []
        : [`${this.prefix}${path}: ${fn} returns a ${shape}, but the property takes ${typeName(type)}`];
    }
    switch (type.type) {
      case 'string':
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
          return [this.wrong(path, 'a string', value)];
        return allowed(type.allowedValues, String(value)) ? [] : [this.notAllowed(path, type.allowedValues!, value)];
      case 'integer':
        if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value))))
          return [this.wrong(path, 'an integer', value)];
        return allowed(type.allowedValues, Number(value)) ? [] : [this.notAllowed(path, type.allowedValues!, value)];
      case 'number':
        return typeof value === 'number' ||
          (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
          ? []
          : [this.wrong(path, 'a number', value)];
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false'
          ? []
          : [this.wrong(path, 'a boolean', value)];
      case 'date-time':
        return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))
          ? []
          : [this.wrong(path, 'an ISO 8601 timestamp', value)];
      case 'json':
        return value !== null && typeof value === 'object' ? [] : [this.wrong(path, 'a JSON object', value)];
      case 'null':
        return value === null ? [] : [this.wrong(path, 'null', value)];
      case 'tag':
        return this.object(value, TAG, path, 'Tag');
      case 'ref': {
        const definition = this.spec.typeDefinition(type.reference);
        return this.object(value, definition.properties, path, definition.name);
      }
      case 'array':
        if (!Array.isArray(value)) return [this.wrong(path, `a list of ${typeName(type.element)}`, value)];
        return value.flatMap((item, i) => this.value(item, type.element, `${path}[${i}]`));
      case 'map':
        if (!isPlainObject(value)) return [this.wrong(path, `a map of ${typeName(type.element)}`, value)];
        return Object.entries(value).flatMap(([key, item]) => this.value(item, type.element, `${path}.${key}`));
      case 'union': {
        const attempts = type.types.map((member) => ({ member, problems: this.value(value, member, path) }));
        if (attempts.some((a) => a.problems.length === 0)) return [];
        const sameKind = attempts.find((a) => kindOf(a.member) === kindOfValue(value));
        return sameKind ? sameKind.problems : [this.wrong(path, typeName(type), value)];
      }
    }
  }

  private shapeOf(fn: string, arg: Value): Shape {
    switch (fn) {
      case 'Ref': {
        if (arg === 'AWS::NoValue') return 'nothing';
        if (arg === 'AWS::NotificationARNs') return 'list';
        const parameterType = typeof arg === 'string' ? this.template.Parameters?.[arg]?.Type : undefined;
        return parameterType && /List<|CommaDelimitedList/.test(parameterType) ? 'list' : 'scalar';
      }
      case 'Fn::GetAtt': {
        const [resource, attribute] = getAttParts(arg) ?? [];
        const type = resource ? this.template.Resources[resource]?.Type : undefined;
        const attributeType =
          type && attribute ? this.spec.resource(type)?.attributes[attribute]?.type.type : undefined;
        return attributeType === 'array'
          ? 'list'
          : attributeType === 'string' ||
              attributeType === 'integer' ||
              attributeType === 'boolean' ||
              attributeType === 'number'
            ? 'scalar'
            : 'any';
      }
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
      case 'Fn::Split':
        return 'list';
      case 'Fn::FindInMap':
        return 'any';
      default:
        return 'scalar';
    }
  }

  private wrong(path: string, expected: string, got: Value): string {
    return `${this.prefix}${path}: expected ${expected}, got ${describe(got)}`;
  }

  private notAllowed(path: string, values: (string | number)[], got: Value): string {
    return `${this.prefix}${path}: ${describe(got)} is not one of ${values.join(', ')}`;
  }
}

function fits(shape: Shape, type: SpecType): boolean {
  if (shape === 'any' || shape === 'nothing' || type.type === 'json') return true;
  if (type.type === 'union') return type.types.some((member) => fits(shape, member));
  const kind = kindOf(type);
  return shape === 'list' ? kind === 'list' : kind === 'scalar';
}

function kindOf(type: SpecType): 'scalar' | 'list' | 'object' | 'any' {
  if (type.type === 'array') return 'list';
  if (type.type === 'ref' || type.type === 'map' || type.type === 'tag') return 'object';
  if (type.type === 'json' || type.type === 'union') return 'any';
  return 'scalar';
}

function kindOfValue(value: Value): 'scalar' | 'list' | 'object' {
  return Array.isArray(value) ? 'list' : isPlainObject(value) ? 'object' : 'scalar';
}

function isPlainObject(value: Value): value is { [key: string]: Value } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function allowed<T>(values: T[] | undefined, value: T): boolean {
  return !values || values.length === 0 || values.includes(value);
}

function typeName(type: SpecType): string {
  switch (type.type) {
    case 'array':
      return `a list of ${typeName(type.element)}`;
    case 'map':
      return `a map of ${typeName(type.element)}`;
    case 'union':
      return type.types.map(typeName).join(' or ');
    case 'ref':
      return 'an object';
    default:
      return type.type;
  }
}

function describe(value: Value): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** " (did you mean X?)" for a near-miss property name, found the way config typos are. */
function suggest(name: string, known: string[]): string {
  const match = suggestKey(name, known);
  return match ? ` (did you mean ${match}?)` : '';
}
