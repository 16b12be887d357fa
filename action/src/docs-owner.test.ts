// Every example a user copies names this project by the one owner/name of package.json's
// repository field, never a placeholder to replace.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_REPOSITORY } from '../test-support/project-repository.js';

const ROOT = resolve(import.meta.dirname, '../..');
const documents = [
  'README.md',
  'action.yml',
  'cloudformation/README.md',
  'schema/config.schema.json',
  ...readdirSync(join(ROOT, 'workflows')).map((name) => `workflows/${name}`),
];

describe('the project owner in docs and examples', () => {
  it.each(documents)('%s names the project by its repository, never a placeholder owner', (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    expect(text).not.toMatch(/your-org|<owner>\/private-fargate-api/i);
    for (const [, owner] of text.matchAll(/([\w.-]+)\/private-fargate-api(?:@|\/\.github|#|\/v\d)/g)) {
      expect(`${owner}/private-fargate-api`).toBe(PROJECT_REPOSITORY);
    }
  });

  it.each(documents)('%s runs the command line as npx installs it from GitHub', (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    // `npx private-fargate-api` looks the name up on the npm registry, where nothing is published.
    expect(text).not.toMatch(/npx private-fargate-api/);
    // `npx tsx …` runs a contributor's script from a clone; every other npx runs the CLI.
    for (const [, spec] of text.matchAll(/npx (\S+)/g)) {
      if (spec !== 'tsx') expect(spec).toBe(`github:${PROJECT_REPOSITORY}#v1`);
    }
  });

  it('is a GitHub repository', () => {
    expect(PROJECT_REPOSITORY).toBe('private-fargate-api/private-fargate-api');
  });
});
