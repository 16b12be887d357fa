// The JSON Schema editors use to complete and check a config (`# yaml-language-server: $schema=…`),
// generated from the same zod schema the validator runs. Input mode: fields with defaults are
// optional, as the user writes them. Checks spanning several fields are not expressible here;
// the descriptions mention them and the validator enforces them.
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  // draft-07 is the dialect editors (yaml-language-server, VS Code) support best.
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-07', unrepresentable: 'throw' });
}

/** The committed `schema/config.schema.json`, byte for byte. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
