// The Changes of a change set, computed like CloudFormation does: the new template's resources
// against the stack's current ones, property by property, with parameter changes and references
// to replaced resources propagated to the resources that use them.
import { isDeepStrictEqual } from 'node:util';
import { requiresRecreation, type RequiresRecreation } from './replacement.js';
import type { Json, TemplateResource } from './template.js';

export interface ChangeDetail {
  Target: { Attribute: 'Properties' | 'Metadata' | 'Tags'; Name?: string; RequiresRecreation: RequiresRecreation };
  Evaluation: 'Static' | 'Dynamic';
  ChangeSource: 'DirectModification' | 'ParameterReference' | 'ResourceReference' | 'ResourceAttribute';
  CausingEntity?: string;
}

export interface ResourceChange {
  Action: 'Add' | 'Modify' | 'Remove';
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Replacement?: 'True' | 'False' | 'Conditional';
  Scope: string[];
  Details: ChangeDetail[];
}

export interface TemplateSide {
  resources: [string, TemplateResource][];
  parameters: Record<string, string>;
}

/** Every Ref / GetAtt / ${…} a value makes, as `Name` or `Name.Attribute`. */
export function references(value: Json | undefined): string[] {
  if (value === null || value === undefined || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(references);
  const found: string[] = [];
  for (const [key, arg] of Object.entries(value)) {
    if (key === 'Ref' && typeof arg === 'string') found.push(arg);
    else if (key === 'Fn::GetAtt') found.push(typeof arg === 'string' ? arg : (arg as Json[]).join('.'));
    else if (key === 'Fn::Sub') {
      const text = Array.isArray(arg) ? String(arg[0]) : String(arg);
      for (const match of text.matchAll(/\$\{([^}!]+)\}/g)) found.push(match[1]);
      if (Array.isArray(arg)) found.push(...references(arg[1]));
    } else found.push(...references(arg));
  }
  return found;
}

const RANK: Record<RequiresRecreation, number> = { Never: 0, Conditionally: 1, Always: 2 };

function replacement(details: ChangeDetail[]): 'True' | 'False' | 'Conditional' {
  let result: 'True' | 'False' | 'Conditional' = 'False';
  for (const { Target, Evaluation } of details) {
    if (Target.RequiresRecreation === 'Always' && Evaluation === 'Static') return 'True';
    if (RANK[Target.RequiresRecreation] > 0) result = 'Conditional';
  }
  return result;
}

function directDetails(
  type: string,
  before: TemplateResource,
  after: TemplateResource,
  changedParameters: Set<string>,
): ChangeDetail[] {
  const details: ChangeDetail[] = [];
  const names = new Set([...Object.keys(before.Properties ?? {}), ...Object.keys(after.Properties ?? {})]);
  for (const name of names) {
    const [old, now] = [before.Properties?.[name], after.Properties?.[name]];
    const attribute = name === 'Tags' ? 'Tags' : 'Properties';
    const target = { Attribute: attribute, Name: name, RequiresRecreation: requiresRecreation(type, name) } as const;
    if (!isDeepStrictEqual(old, now)) {
      details.push({ Target: target, Evaluation: 'Static', ChangeSource: 'DirectModification' });
      continue;
    }
    for (const parameter of references(now).filter((ref) => changedParameters.has(ref))) {
      details.push({
        Target: target,
        Evaluation: 'Static',
        ChangeSource: 'ParameterReference',
        CausingEntity: parameter,
      });
    }
  }
  if (!isDeepStrictEqual(before.Metadata, after.Metadata)) {
    details.push({
      Target: { Attribute: 'Metadata', RequiresRecreation: 'Never' },
      Evaluation: 'Static',
      ChangeSource: 'DirectModification',
    });
  }
  return details;
}

/** Changes that turn `before` into `after`; `physicalIds` are the stack's current resources. */
export function computeChanges(
  before: TemplateSide,
  after: TemplateSide,
  physicalIds: Record<string, string | undefined>,
): ResourceChange[] {
  const old = new Map(before.resources);
  const changedParameters = new Set(
    Object.keys({ ...before.parameters, ...after.parameters }).filter(
      (key) => before.parameters[key] !== after.parameters[key],
    ),
  );
  const changes = new Map<string, ResourceChange>();
  for (const [logicalId, resource] of after.resources) {
    const previous = old.get(logicalId);
    const base = {
      LogicalResourceId: logicalId,
      ResourceType: resource.Type,
      Scope: [] as string[],
      Details: [] as ChangeDetail[],
    };
    if (!previous) {
      changes.set(logicalId, { Action: 'Add', ...base });
      continue;
    }
    const details =
      previous.Type === resource.Type
        ? directDetails(resource.Type, previous, resource, changedParameters)
        : [
            {
              Target: { Attribute: 'Properties', RequiresRecreation: 'Always' },
              Evaluation: 'Static',
              ChangeSource: 'DirectModification',
            } as ChangeDetail,
          ];
    if (details.length)
      changes.set(logicalId, {
        Action: 'Modify',
        ...base,
        PhysicalResourceId: physicalIds[logicalId],
        Details: details,
      });
  }
  propagate(after.resources, changes, physicalIds);
  for (const change of changes.values()) {
    if (change.Action !== 'Modify') continue;
    change.Replacement = replacement(change.Details);
    change.Scope = [...new Set(change.Details.map((d) => d.Target.Attribute))];
  }
  const removed: ResourceChange[] = before.resources
    .filter(([logicalId]) => !after.resources.some(([id]) => id === logicalId))
    .map(([logicalId, resource]) => ({
      Action: 'Remove',
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalIds[logicalId],
      ResourceType: resource.Type,
      Scope: [],
      Details: [],
    }));
  return [...changes.values(), ...removed];
}

/** A resource that uses a replaced (Ref) or modified (GetAtt) resource may change too: Dynamic details. */
function propagate(
  resources: [string, TemplateResource][],
  changes: Map<string, ResourceChange>,
  physicalIds: Record<string, string | undefined>,
): void {
  for (let round = 0, grew = true; grew && round < 10; round++) {
    grew = false;
    for (const [logicalId, resource] of resources) {
      if (changes.get(logicalId)?.Action === 'Add') continue;
      for (const [name, value] of Object.entries(resource.Properties ?? {})) {
        for (const ref of references(value)) {
          const change = changes.get(logicalId);
          const [target, attr] = ref.split(/\.(.*)/s, 2);
          const cause = changes.get(target);
          if (!cause || cause.Action !== 'Modify') continue;
          if (!attr && replacement(cause.Details) === 'False') continue;
          const source = attr ? 'ResourceAttribute' : 'ResourceReference';
          if (change?.Details.some((d) => d.Target.Name === name && d.CausingEntity === ref)) continue;
          const detail: ChangeDetail = {
            Target: {
              Attribute: 'Properties',
              Name: name,
              RequiresRecreation: requiresRecreation(resource.Type, name),
            },
            Evaluation: 'Dynamic',
            ChangeSource: source,
            CausingEntity: ref,
          };
          if (change) change.Details.push(detail);
          else {
            changes.set(logicalId, {
              Action: 'Modify',
              LogicalResourceId: logicalId,
              PhysicalResourceId: physicalIds[logicalId],
              ResourceType: resource.Type,
              Scope: [],
              Details: [detail],
            });
          }
          grew = true;
        }
      }
    }
  }
}

/** Resources in the order CloudFormation creates them: dependencies (references, DependsOn) first. */
export function creationOrder(resources: [string, TemplateResource][]): [string, TemplateResource][] {
  const byId = new Map(resources);
  const placed = new Set<string>();
  const ordered: [string, TemplateResource][] = [];
  const visit = (logicalId: string, path: Set<string>): void => {
    const resource = byId.get(logicalId);
    if (!resource || placed.has(logicalId) || path.has(logicalId)) return;
    path.add(logicalId);
    const dependsOn = [resource.DependsOn ?? []].flat();
    for (const ref of [...references(resource.Properties ?? null), ...dependsOn]) visit(ref.split('.')[0], path);
    placed.add(logicalId);
    ordered.push([logicalId, resource]);
  };
  for (const [logicalId] of resources) visit(logicalId, new Set());
  return ordered;
}
