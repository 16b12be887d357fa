import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { configReferenceMarkdown } from './reference.js';

describe('the config reference page', () => {
  it('is what the zod schema generates (run `npm run schema` after changing schema.ts)', async () => {
    const committed = await readFile(new URL('../../../docs/config-reference.md', import.meta.url), 'utf8');
    expect(committed).toBe(configReferenceMarkdown());
  });

  it('has a table per section with each key, its type, default and meaning', () => {
    const page = configReferenceMarkdown();
    for (const section of ['image', 'service', 'storage', 'network', 'api', 'bootstrap']) {
      expect(page).toContain(`## \`${section}\`\n`);
    }
    expect(page).toMatch(/^\| `name` \| string \| required \| Prefix for the stack/m);
    expect(page).toMatch(/^\| `service\.cpu` \| `256` \\\| `512` .*\| `256` \| Fargate CPU units/m);
    expect(page).toMatch(/^\| `api\.routes\[\]\.auth` \| .*`api-key`/m);
    expect(page).toMatch(/^\| `service\.deployment\.\w+` /m);
  });
});
