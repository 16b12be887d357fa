// The config reference a person reads (docs/config-reference.md): one table per section with
// each key's type, default and meaning, generated from the same zod schema as the JSON Schema
// (through it), so the two never disagree. `npm run schema` writes both; a test checks for drift.
import { configJsonSchema } from './json-schema.js';

interface Schema {
  description?: string;
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  pattern?: string;
}

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/</g, '\\<')
    .replace(/\s*\n\s*/g, ' ');
const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return code(schema.const);
  if (schema.enum) return schema.enum.map(code).join(' \\| ');
  if (schema.anyOf)
    return schema.anyOf
      .map((s) => (s.pattern ? `${typeOf({ ...s, pattern: undefined })} (pattern)` : typeOf(s)))
      .join(' \\| ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object')
    return `map of ${typeOf(schema.additionalProperties)}`;
  if (schema.type === 'object') return 'object';
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
}

function defaultOf(schema: Schema, required: boolean): string {
  if (required) return 'required';
  if (schema.default === undefined) return '';
  if (typeof schema.default === 'object' && Object.keys(schema.default ?? {}).length === 0) return '';
  return code(schema.default);
}

/** The rows of an object's keys, nested objects and lists of objects flattened to dotted keys. */
function rows(schema: Schema, prefix: string): Row[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const key = `${prefix}${name}`;
    const row = {
      key: `\`${key}\``,
      type: typeOf(child),
      default: defaultOf(child, required.has(name)),
      description: cell(child.description ?? ''),
    };
    if (child.properties) return [row, ...rows(child, `${key}.`)];
    if (child.items?.properties) return [row, ...rows(child.items, `${key}[].`)];
    return [row];
  });
}

function table(list: Row[]): string[] {
  return [
    '| key | type | default | what it does |',
    '| --- | --- | --- | --- |',
    ...list.map((r) => `| ${r.key} | ${r.type} | ${r.default} | ${r.description} |`),
  ];
}

export function configReferenceMarkdown(): string {
  const schema = configJsonSchema() as Schema;
  const top = Object.entries(schema.properties ?? {});
  const scalars = top.filter(([, s]) => !s.properties);
  const sections = top.filter(([, s]) => s.properties);
  const lines = [
    '# Config reference',
    '',
    '<!-- Generated from action/src/config/schema.ts by `npm run schema`; do not edit by hand. -->',
    '',
    `${schema.description ?? ''}`,
    '',
    'Every key of `deploy.yml`, by section. The same schema validates the config and is shipped for',
    'editors as [`schema/config.schema.json`](../schema/config.schema.json).',
    '',
    '## Top level',
    '',
    ...table(rows({ properties: Object.fromEntries(scalars), required: schema.required }, '')),
  ];
  for (const [name, section] of sections) {
    lines.push('', `## \`${name}\``, '', cell(section.description ?? ''), '', ...table(rows(section, `${name}.`)));
  }
  return `${lines.join('\n')}\n`;
}
