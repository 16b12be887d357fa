import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { configJsonSchema, configJsonSchemaText } from './json-schema.js';

type JsonSchema = { description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema };

/** Paths of properties editors would show without help text. */
function undescribed(schema: JsonSchema, path = ''): string[] {
  const own = Object.entries(schema.properties ?? {}).flatMap(([key, child]) => [
    ...(child.description ? [] : [`${path}${key}`]),
    ...undescribed(child, `${path}${key}.`),
  ]);
  return schema.items ? [...own, ...undescribed(schema.items, `${path}[].`)] : own;
}

describe('the shipped JSON Schema', () => {
  it('is what the zod schema generates (run `npm run schema` after changing schema.ts)', async () => {
    const committed = await readFile(new URL('../../../schema/config.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('describes every section and the fields users reach for', () => {
    const schema = configJsonSchema() as JsonSchema;
    const top = undescribed(schema).filter((path) => !path.includes('.'));
    expect(top).toEqual([]);
    expect(undescribed(schema.properties!.service)).toEqual([]);
    expect(undescribed(schema.properties!.network)).toEqual([]);
  });

  it('leaves fields with defaults optional, as the user writes them', () => {
    const schema = configJsonSchema() as { required: string[]; properties: { service: { required: string[] } } };
    expect(schema.required).toEqual(['name', 'service']);
    expect(schema.properties.service.required).toEqual(['port']);
  });
});
