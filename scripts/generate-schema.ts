// Writes schema/config.schema.json from the config's zod schema (npm run schema). A test fails
// when the committed file differs from what this writes.
import { writeFile } from 'node:fs/promises';
import { configJsonSchemaText } from '../action/src/config/json-schema.js';

const target = new URL('../schema/config.schema.json', import.meta.url);
await writeFile(target, configJsonSchemaText());
console.log(`wrote ${target.pathname}`);
