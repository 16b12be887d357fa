// The project's one GitHub owner/name, taken from package.json's repository field: every doc and
// copy-ready workflow names the action by it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const packageJson = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
  repository?: { url?: string };
};

function ownerAndName(url = ''): string {
  const match = /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url);
  if (!match) throw new Error(`package.json repository.url "${url}" does not name a GitHub repository`);
  return match[1];
}

export const PROJECT_REPOSITORY = ownerAndName(packageJson.repository?.url);
