// What CloudFormation itself checks and computes from a template: parsing (JSON, or YAML with
// the short `!Ref` forms), parameter values, required capabilities, conditions, and the values
// intrinsic functions take once resources have physical ids.
import { parse as parseYaml, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { AwsError, validationError } from './errors.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
  Condition?: string;
  DependsOn?: string | string[];
}

export interface ParsedTemplate {
  Description?: string;
  Parameters?: Record<
    string,
    {
      Type: string;
      Default?: string | number;
      NoEcho?: boolean | string;
      AllowedValues?: string[];
      AllowedPattern?: string;
    }
  >;
  Conditions?: Record<string, Json>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: Json; Description?: string; Export?: { Name: Json }; Condition?: string }>;
}

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
];

function shortFormTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [
    { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
    { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
    { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split(/\.(.*)/s, 2) }) },
    { tag: '!GetAtt', collection: 'seq', resolve: (seq: YAMLSeq) => ({ 'Fn::GetAtt': seq.toJSON() }) },
  ];
  for (const name of FUNCTIONS) {
    const key = `Fn::${name}`;
    tags.push({ tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) });
    tags.push({ tag: `!${name}`, collection: 'seq', resolve: (seq: YAMLSeq) => ({ [key]: seq.toJSON() }) });
    tags.push({
      tag: `!${name}`,
      collection: 'map',
      resolve: (map: YAMLMap | YAMLSeq) => ({ [key]: map.toJSON() }),
    });
  }
  return tags;
}

export function parseTemplate(body: string): ParsedTemplate {
  let parsed: unknown;
  try {
    parsed = body.trimStart().startsWith('{') ? JSON.parse(body) : parseYaml(body, { customTags: shortFormTags() });
  } catch (error) {
    throw validationError(`Template format error: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationError('Template format error: JSON not well-formed.');
  }
  const template = parsed as ParsedTemplate;
  if (!template.Resources || typeof template.Resources !== 'object' || Object.keys(template.Resources).length === 0) {
    throw validationError('Template format error: At least one Resources member must be defined.');
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (typeof resource?.Type !== 'string') {
      throw validationError(
        `Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`,
      );
    }
  }
  return template;
}

export interface ParameterInput {
  ParameterKey?: string;
  ParameterValue?: string;
  UsePreviousValue?: boolean | string;
}

/** The values CloudFormation would use: given, previous (UsePreviousValue) or the template default. */
export function resolveParameters(
  template: ParsedTemplate,
  given: ParameterInput[],
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const declared = template.Parameters ?? {};
  const values: Record<string, string> = {};
  const unknown = given.map((p) => p.ParameterKey ?? '').filter((key) => !(key in declared));
  if (unknown.length) throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  for (const input of given) {
    const key = input.ParameterKey!;
    if (input.UsePreviousValue === true || input.UsePreviousValue === 'true') {
      if (previous?.[key] === undefined) {
        throw validationError(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
      values[key] = previous[key];
    } else if (input.ParameterValue !== undefined) {
      values[key] = input.ParameterValue;
    }
  }
  const missing: string[] = [];
  for (const [key, declaration] of Object.entries(declared)) {
    if (key in values) continue;
    if (declaration.Default !== undefined) values[key] = String(declaration.Default);
    else missing.push(key);
  }
  if (missing.length) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  for (const [key, { AllowedValues, AllowedPattern }] of Object.entries(declared)) {
    if (AllowedValues && !AllowedValues.map(String).includes(values[key]))
      throw validationError(`Parameter '${key}' must be one of AllowedValues`);
    if (AllowedPattern && !new RegExp(`^(?:${AllowedPattern})$`).test(values[key]))
      throw validationError(`Parameter '${key}' must match pattern ${AllowedPattern}`);
  }
  return values;
}

const IAM_NAME_PROPERTIES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
};

/** Fails like CloudFormation when the template creates IAM resources without the matching capability. */
export function checkCapabilities(template: ParsedTemplate, capabilities: string[]): void {
  const resources = Object.values(template.Resources);
  const iam = resources.filter((r) => r.Type.startsWith('AWS::IAM::'));
  if (iam.length === 0 || capabilities.includes('CAPABILITY_NAMED_IAM')) return;
  const named = iam.some((r) => r.Properties?.[IAM_NAME_PROPERTIES[r.Type] ?? ''] !== undefined);
  if (named) throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
  if (!capabilities.includes('CAPABILITY_IAM')) {
    throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
  }
}

/** What references resolve to once the stack exists. */
export interface EvaluationContext {
  parameters: Record<string, string>;
  pseudo: Record<string, string>;
  physicalId(logicalId: string): string | undefined;
  attribute(logicalId: string, attribute: string): string | undefined;
  conditions?: Record<string, boolean>;
}

/** Evaluates intrinsic functions to plain values (enough for outputs and resolved properties). */
export function evaluate(value: Json, ctx: EvaluationContext): Json {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, ctx));
  if (value === null || typeof value !== 'object') return value;
  const [key] = Object.keys(value);
  const arg = value[key];
  const str = (v: Json): string => String(evaluate(v, ctx));
  switch (Object.keys(value).length === 1 ? key : '') {
    case 'Ref':
      return ref(String(arg), ctx);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string' ? arg.split(/\.(.*)/s, 2) : (arg as Json[]).map(str);
      return ctx.attribute(logicalId, attribute) ?? `${logicalId}.${attribute}`;
    }
    case 'Fn::Sub': {
      const [text, vars] = Array.isArray(arg) ? [String(arg[0]), arg[1] as Record<string, Json>] : [String(arg), {}];
      return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        if (name in vars) return str(vars[name]);
        const [logicalId, attribute] = name.split(/\.(.*)/s, 2);
        return attribute ? (ctx.attribute(logicalId, attribute) ?? name) : ref(name, ctx);
      });
    }
    case 'Fn::Join': {
      const [separator, items] = arg as [string, Json];
      return (evaluate(items, ctx) as Json[]).map(String).join(separator);
    }
    case 'Fn::Select': {
      const [index, items] = arg as [Json, Json];
      return (evaluate(items, ctx) as Json[])[Number(evaluate(index, ctx))];
    }
    case 'Fn::Split': {
      const [separator, text] = arg as [string, Json];
      return str(text).split(separator);
    }
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${ctx.pseudo['AWS::Region']}${zone}`);
    case 'Fn::Base64':
      return Buffer.from(str(arg)).toString('base64');
    case 'Fn::ImportValue':
      return `imported-${str(arg)}`;
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = arg as [string, Json, Json];
      return evaluate(ctx.conditions?.[condition] === false ? whenFalse : whenTrue, ctx);
    }
    default:
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, ctx)]));
  }
}

function ref(name: string, ctx: EvaluationContext): string {
  if (name === 'AWS::NoValue') return '';
  return ctx.pseudo[name] ?? ctx.parameters[name] ?? ctx.physicalId(name) ?? name;
}

/** Evaluates the template's Conditions (Fn::Equals/Not/And/Or over parameters). */
export function evaluateConditions(
  template: ParsedTemplate,
  parameters: Record<string, string>,
  pseudo: Record<string, string>,
): Record<string, boolean> {
  const results: Record<string, boolean> = {};
  const ctx: EvaluationContext = { parameters, pseudo, physicalId: () => undefined, attribute: () => undefined };
  const truth = (value: Json): boolean => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const [key] = Object.keys(value);
      const args = value[key] as Json[];
      if (key === 'Condition') return truth(template.Conditions?.[String(value[key])] ?? false);
      if (key === 'Fn::Equals') return String(evaluate(args[0], ctx)) === String(evaluate(args[1], ctx));
      if (key === 'Fn::Not') return !truth(args[0]);
      if (key === 'Fn::And') return args.every(truth);
      if (key === 'Fn::Or') return args.some(truth);
    }
    return Boolean(evaluate(value, ctx));
  };
  for (const [name, expression] of Object.entries(template.Conditions ?? {})) results[name] = truth(expression);
  return results;
}

/** Resources that exist for these parameter values (those whose Condition holds), in template order. */
export function activeResources(
  template: ParsedTemplate,
  conditions: Record<string, boolean>,
): [string, TemplateResource][] {
  return Object.entries(template.Resources).filter(([, r]) => !r.Condition || conditions[r.Condition] !== false);
}
