// Renders the sample quiz's templates into cloudformation/ (npm run export). A test fails when
// the committed files differ from what this writes.
import { readFile, writeFile } from 'node:fs/promises';
import { EXPORT_DIR, EXPORT_SOURCE, exportFiles } from '../action/src/cli/export.js';

const root = new URL('../', import.meta.url);
const files = exportFiles(await readFile(new URL(EXPORT_SOURCE, root), 'utf8'));
for (const { name, content } of files) {
  await writeFile(new URL(`${EXPORT_DIR}/${name}`, root), content);
  console.log(`wrote ${EXPORT_DIR}/${name} (${Buffer.byteLength(content)} bytes)`);
}
