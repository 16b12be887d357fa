// Reading a template the way a reviewer does: values shown as short text (`Table.Arn`, not a
// JSON blob), resources of a type, and the deployed template body (JSON or YAML) parsed back.
import { parse } from 'yaml';
import type { Resource, Template, Value } from '../render/template.js';

/** A template body as CloudFormation returns it (GetTemplate): JSON, or YAML without short-form tags. */
export function parseTemplateBody(body: string): Template {
  const trimmed = body.trimStart();
  const parsed = (trimmed.startsWith('{') ? JSON.parse(body) : parse(body)) as Partial<Template> | null;
  return { AWSTemplateFormatVersion: '2010-09-09', Description: '', ...parsed, Resources: parsed?.Resources ?? {} };
}

/** A value as one line of text: `Ref` → the name, `GetAtt` → `Name.Attr`, `Sub` → its text. */
export function show(value: Value | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(show).join(', ');
  const [key, arg] = Object.entries(value)[0] ?? [];
  if (key === 'Ref') return show(arg);
  if (key === 'Fn::GetAtt') return Array.isArray(arg) ? arg.map(show).join('.') : show(arg);
  if (key === 'Fn::Sub') return Array.isArray(arg) ? show(arg[0]) : show(arg);
  if (key === 'Fn::Join' && Array.isArray(arg)) {
    const [separator, parts] = arg;
    return Array.isArray(parts) ? parts.map(show).join(show(separator)) : show(parts);
  }
  return JSON.stringify(value);
}

/** `value` as a list (a single value becomes a one-element list). */
export const listOf = (value: Value | undefined): Value[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function resourcesOfType(template: Template | undefined, type: string): [string, Resource][] {
  return Object.entries(template?.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** The logical id a `Ref` or `GetAtt` points at, if the value is one. */
export function referencedId(value: Value | undefined): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return show(getAtt[0]);
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

export const props = (resource: Resource | undefined): Record<string, Value> => resource?.Properties ?? {};
