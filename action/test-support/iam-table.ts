// Prints what each bootstrap role can and cannot do, as the IAM policy engine decides it, for the
// sample and the variant configs: `npx tsx action/test-support/iam-table.ts`.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { configSchema, type Config } from '../src/config/schema.js';
import { everythingInput } from './configs.js';
import { questionsFor } from './iam-questions.js';

export async function iamConfigs(): Promise<[string, Config][]> {
  const sample = await loadConfig(fileURLToPath(new URL('../../sample-api/deploy.yml', import.meta.url)));
  const bootstrap =
    sample.bootstrap ?? configSchema.parse({ ...sample, bootstrap: { repository: 'acme/pubquiz' } }).bootstrap;
  return [
    ['sample', { ...sample, bootstrap }],
    [
      'every option (v1 link, Lambda target, web ACL, domain, logging role)',
      configSchema.parse({ ...everythingInput, bootstrap: { repository: 'acme/kitchen-sink' } }),
    ],
    [
      'the five-line config: release tags and staging on main deploy, no plan role',
      configSchema.parse({
        name: 'quiz',
        service: { port: 8080 },
        bootstrap: {
          repository: 'acme/quiz',
          deployFrom: [{ subject: 'ref:refs/tags/v*' }, { environment: 'staging', branch: 'main' }],
          planRole: false,
        },
      }),
    ],
  ];
}

async function main() {
  for (const [label, config] of await iamConfigs()) {
    console.log(`\n### ${label}\n\n| role | request | engine says | promised |\n| --- | --- | --- | --- |`);
    for (const question of questionsFor(config)) {
      const decision = await question.ask();
      const ok = (decision === 'Allowed') === question.allowed;
      console.log(
        `| ${question.role} | ${question.question} | ${decision} | ${question.allowed ? 'can' : 'cannot'}${ok ? '' : ' **MISMATCH**'} |`,
      );
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
