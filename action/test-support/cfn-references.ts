// Every intrinsic function in a template, checked for what it points at: Ref, Fn::GetAtt and
// Fn::Sub variables resolve (with GetAtt attributes the resource type really has), Fn::If and
// Condition name conditions that exist, Conditions only use parameters, and nothing references
// a conditional resource where that resource may not exist. Collects resource → resource edges
// (including DependsOn) and reports dependency cycles.
import type { Template, Value } from '../src/render/template.js';
import type { Spec } from './cfn-spec-db.js';

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const VALUE_FUNCTIONS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::GetAZs',
  'Fn::Cidr',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Base64',
  'Fn::FindInMap',
]);
const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition']);

/** The single key of an intrinsic function object (`{ Ref: … }`, `{ 'Fn::…': … }`), else undefined. */
export function intrinsicName(value: Value, inConditions = false): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  return key === 'Ref' || key.startsWith('Fn::') || (inConditions && key === 'Condition') ? key : undefined;
}

/** `Res.Attr` or `[Res, Attr]` → [Res, Attr]; an Attr given by intrinsic comes back undefined. */
export function getAttParts(arg: Value): [string, string | undefined] | undefined {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : undefined;
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
    return [arg[0], typeof arg[1] === 'string' ? arg[1] : undefined];
  }
  return undefined;
}

/** Variable names in an Fn::Sub string, skipping `${!Literal}` escapes. */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).filter((name) => !name.startsWith('!'));
}

interface Where {
  label: string;
  /** The resource whose properties these are: references become its dependencies. */
  owner?: string;
  /** Conditions known true here (the owner's, and those of enclosing Fn::If true branches). */
  conditions: Set<string>;
  inConditions?: boolean;
}

export function checkReferences(template: Template, spec: Spec): string[] {
  const problems: string[] = [];
  const resources = template.Resources ?? {};
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};
  const mappings = (template as { Mappings?: Record<string, unknown> }).Mappings ?? {};
  const edges = new Map<string, Set<string>>(Object.keys(resources).map((id) => [id, new Set<string>()]));

  const implied = (name: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(name)) return seen;
    seen.add(name);
    const body = conditions[name];
    const members = intrinsicName(body, true) === 'Fn::And' ? (body as { 'Fn::And': Value[] })['Fn::And'] : [body];
    for (const member of Array.isArray(members) ? members : []) {
      if (intrinsicName(member, true) === 'Condition')
        implied(String((member as { Condition: Value }).Condition), seen);
    }
    return seen;
  };
  const conditionExists = (name: Value, where: Where, what: string) => {
    if (typeof name !== 'string' || !(name in conditions)) {
      problems.push(`${where.label}: ${what} names condition ${JSON.stringify(name)}, which is not in Conditions`);
      return false;
    }
    return true;
  };

  const useResource = (id: string, where: Where, how: string) => {
    if (where.inConditions) {
      problems.push(`${where.label}: ${how} resource ${id}; conditions may only use parameters`);
      return;
    }
    if (where.owner) edges.get(where.owner)?.add(id);
    const guard = resources[id].Condition;
    if (guard && !where.conditions.has(guard)) {
      problems.push(
        `${where.label}: ${how} ${id}, which only exists when condition ${guard} is true; guard it with Fn::If ${guard} or give this the same Condition`,
      );
    }
  };

  const ref = (name: Value, where: Where, how = 'Ref') => {
    if (typeof name !== 'string')
      return problems.push(`${where.label}: ${how} needs a logical id string, got ${JSON.stringify(name)}`);
    if (PSEUDO_PARAMETERS.has(name) || name in parameters) return;
    if (name in resources) return useResource(name, where, how);
    problems.push(`${where.label}: ${how} ${name} resolves to no resource, parameter or pseudo parameter`);
  };

  const getAtt = (resource: string, attribute: string | undefined, where: Where, how: string) => {
    const target = resources[resource];
    if (!target) return problems.push(`${where.label}: ${how} names resource ${resource}, which does not exist`);
    useResource(resource, where, how);
    if (
      attribute === undefined ||
      target.Type.startsWith('Custom::') ||
      target.Type === 'AWS::CloudFormation::CustomResource'
    )
      return;
    if (target.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return;
    const type = spec.resource(target.Type);
    if (type && !(attribute in type.attributes)) {
      const known =
        Object.keys(type.attributes)
          .filter((a) => !a.includes('.'))
          .join(', ') || 'none';
      problems.push(
        `${where.label}: ${how} asks ${resource} (${target.Type}) for attribute ${attribute}, which it does not have (it has: ${known})`,
      );
    }
  };

  // Fn::Sub can only put strings into a string: a list attribute there fails at deploy time.
  const subAttribute = (resource: string, attribute: string, where: Where) => {
    getAtt(resource, attribute, where, `Fn::Sub \${${resource}.${attribute}}`);
    const type = resources[resource] && spec.resource(resources[resource].Type)?.attributes[attribute]?.type.type;
    if (type === 'array')
      problems.push(
        `${where.label}: Fn::Sub \${${resource}.${attribute}} is a list attribute; Fn::Sub needs a string (use Fn::Join)`,
      );
  };

  const shape = (where: Where, fn: string, arg: Value, ok: boolean, expected: string) => {
    if (!ok) problems.push(`${where.label}: ${fn} expects ${expected}, got ${JSON.stringify(arg)}`);
    return ok;
  };

  const walk = (value: Value, where: Where): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value))
      return value.forEach((item, i) => walk(item, { ...where, label: `${where.label}[${i}]` }));
    const fn = intrinsicName(value, where.inConditions);
    if (!fn) {
      for (const [key, child] of Object.entries(value)) walk(child, { ...where, label: `${where.label}.${key}` });
      return;
    }
    const arg = (value as Record<string, Value>)[fn];
    const inner = { ...where, label: `${where.label}.${fn}` };
    const list = Array.isArray(arg) ? arg : [];
    if (!VALUE_FUNCTIONS.has(fn) && !(where.inConditions && CONDITION_FUNCTIONS.has(fn))) {
      problems.push(`${where.label}: ${fn} is not an intrinsic function CloudFormation supports here`);
      return;
    }
    switch (fn) {
      case 'Ref':
        return void ref(arg, where);
      case 'Fn::GetAtt': {
        const parts = getAttParts(arg);
        if (!shape(where, fn, arg, parts !== undefined, '"Resource.Attribute" or [Resource, Attribute]')) return;
        getAtt(parts![0], parts![1], where, 'Fn::GetAtt');
        if (Array.isArray(arg)) walk(arg[1], inner);
        return;
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        const valid =
          typeof text === 'string' &&
          vars !== null &&
          typeof vars === 'object' &&
          !Array.isArray(vars) &&
          (!Array.isArray(arg) || arg.length === 2);
        if (!shape(where, fn, arg, valid, 'a string or [string, { Var: value }]')) return;
        const local = vars as Record<string, Value>;
        for (const name of subVariables(text as string)) {
          if (name in local) continue;
          const dot = name.indexOf('.');
          if (dot > 0) subAttribute(name.slice(0, dot), name.slice(dot + 1), where);
          else ref(name, where, `Fn::Sub \${${name}}`);
        }
        return walk(local, inner);
      }
      case 'Fn::If': {
        if (!shape(where, fn, arg, list.length === 3, '[condition, value if true, value if false]')) return;
        const known = conditionExists(list[0], where, 'Fn::If');
        const whenTrue = known ? new Set([...where.conditions, ...implied(list[0] as string)]) : where.conditions;
        walk(list[1], { ...inner, label: `${inner.label}[1]`, conditions: whenTrue });
        return walk(list[2], { ...inner, label: `${inner.label}[2]` });
      }
      case 'Fn::FindInMap':
        if (!shape(where, fn, arg, list.length === 3 || list.length === 4, '[map, top-level key, second-level key]'))
          return;
        if (typeof list[0] === 'string' && !(list[0] in mappings))
          problems.push(`${where.label}: Fn::FindInMap names mapping ${list[0]}, which is not in Mappings`);
        return walk(arg, inner);
      case 'Condition':
        return void conditionExists(arg, where, 'Condition');
      case 'Fn::Join':
      case 'Fn::Select':
      case 'Fn::Split':
        if (
          !shape(
            where,
            fn,
            arg,
            list.length === 2,
            fn === 'Fn::Select' ? '[index, list]' : fn === 'Fn::Join' ? '[delimiter, list]' : '[delimiter, string]',
          )
        )
          return;
        return walk(arg, inner);
      case 'Fn::Cidr':
        if (!shape(where, fn, arg, list.length === 3, '[ipBlock, count, cidrBits]')) return;
        return walk(arg, inner);
      default:
        return walk(arg, inner);
    }
  };

  for (const [name, body] of Object.entries(conditions)) {
    walk(body, { label: `Conditions.${name}`, conditions: new Set(), inConditions: true });
  }
  for (const [id, resource] of Object.entries(resources)) {
    const label = `Resources.${id}`;
    const active =
      resource.Condition && conditionExists(resource.Condition, { label, conditions: new Set() }, 'Condition')
        ? implied(resource.Condition)
        : new Set<string>();
    const where = { label: `${label}.Properties`, owner: id, conditions: active };
    walk(resource.Properties ?? {}, where);
    walk(resource.Metadata ?? {}, { label: `${label}.Metadata`, conditions: active });
    const dependsOn = resource.DependsOn === undefined ? [] : ([] as Value[]).concat(resource.DependsOn);
    for (const target of dependsOn) {
      if (typeof target === 'string' && target in resources)
        useResource(target, { ...where, label: `${label}.DependsOn` }, 'DependsOn');
      else problems.push(`${label}.DependsOn: ${JSON.stringify(target)} is not a resource in this template`);
    }
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const label = `Outputs.${name}`;
    const active =
      output.Condition && conditionExists(output.Condition, { label, conditions: new Set() }, 'Condition')
        ? implied(output.Condition)
        : new Set<string>();
    walk(output.Value, { label: `${label}.Value`, conditions: active });
    if (output.Export) walk(output.Export.Name, { label: `${label}.Export.Name`, conditions: active });
  }
  return [...problems, ...findCycles(edges)];
}

/** Each dependency cycle once, as "A -> B -> A". */
export function findCycles(edges: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[] = [];
  const inReportedCycle = new Set<string>();
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next));
        if (!cycle.every((n) => inReportedCycle.has(n))) {
          cycle.forEach((n) => inReportedCycle.add(n));
          cycles.push(`dependency cycle: ${[...cycle, next].join(' -> ')}`);
        }
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
