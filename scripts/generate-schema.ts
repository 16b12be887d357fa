// Writes schema/config.schema.json and docs/config-reference.md from the config's zod schema
// (npm run schema). Tests fail when either committed file differs from what this writes.
import { writeFile } from 'node:fs/promises';
import { configJsonSchemaText } from '../action/src/config/json-schema.js';
import { configReferenceMarkdown } from '../action/src/config/reference.js';

const outputs: [URL, string][] = [
  [new URL('../schema/config.schema.json', import.meta.url), configJsonSchemaText()],
  [new URL('../docs/config-reference.md', import.meta.url), configReferenceMarkdown()],
];
for (const [target, content] of outputs) {
  await writeFile(target, content);
  console.log(`wrote ${target.pathname}`);
}
