// `plan` in a terminal shows the change table once: the engine's aligned table, not that table
// and then the same changes again as Markdown; the review follows it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { awsEnvironment, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'c'.repeat(64)}`;

describe('plan', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    fake = await startFakeAws({ stackName: 'pubquiz-plan', changeSetReadyMs: 20, resourceStepMs: 2 });
  });
  afterAll(() => fake.close());

  it('prints the change table once, and no Markdown', async () => {
    const { stdout } = await promisify(execFile)(
      join(repo, 'node_modules/.bin/tsx'),
      [join(repo, 'action/src/cli.ts'), 'plan', 'sample-api/deploy.yml', '--environment', 'plan', '--image', IMAGE],
      { cwd: repo, env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...awsEnvironment(fake.url) } },
    );
    expect(stdout.match(/Action +Logical ID +Type/g)).toHaveLength(1);
    expect(stdout).toMatch(/^\d+ to add, 0 to modify, 0 to replace, 0 to remove$/m);
    expect(stdout).not.toMatch(/^\|/m);
    expect(stdout).toMatch(/Plan only: deleted change set \S+; nothing was deployed\./);
    // The reviewer's summary (risks, cost, drift) closes the output, where a terminal leaves it.
    expect(stdout.indexOf('Review of stack pubquiz-plan:')).toBeGreaterThan(stdout.indexOf('Plan only:'));
  });
});
