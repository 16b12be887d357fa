// The README's "Ship your own API" section, run as written: its deploy.yml and every shell
// command in order, in a scratch git repository, with the bundled command line against the
// loopback AWS and GitHub. `npx github:…#v1`, `curl` of the raw workflows and `gh auth token` are
// shell functions that answer from this checkout; everything else is the real command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, startFakeAws, type FakeAws } from '../test-support/fake-aws/index.js';
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js';
import { PROJECT_REPOSITORY } from '../test-support/project-repository.js';
import { NODES, ROOT } from './run-action.js';

function section(readme: string, title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const blocks = (text: string, language: string) =>
  [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]);

/** Stand-ins for what needs the internet; the README's commands themselves run unchanged. */
const prelude = (token: string) => `
npx() {
  [ "$1" = "github:${PROJECT_REPOSITORY}#v1" ] || { echo "unexpected npx package $1" >&2; return 99; }
  shift
  # The confirmation prompt needs a terminal; bootstrap.test.ts answers it. Here it is pre-answered.
  if [ "$1" = bootstrap ]; then set -- "$@" --yes; fi
  "${NODES.node24}" "${ROOT}/dist/cli.js" "$@"
}
curl() {
  local dest="" url=""
  while [ $# -gt 0 ]; do case "$1" in -*o) dest="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done
  local prefix="https://raw.githubusercontent.com/${PROJECT_REPOSITORY}/v1/"
  [ "\${url#"$prefix"}" != "$url" ] || { echo "unexpected URL $url" >&2; return 22; }
  cp "${ROOT}/\${url#"$prefix"}" "$dest"
}
gh() { [ "$*" = "auth token" ] && echo ${token}; }
set -euo pipefail
`;

describe('the README section "Ship your own API"', () => {
  let fake: FakeAws;
  let github: FakeGitHub;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeAws({ changeSetReadyMs: 50, resourceStepMs: 5 });
    github = await startFakeGitHub();
    dir = await mkdtemp(join(tmpdir(), 'pfa-readme-'));
  });
  afterAll(async () => {
    await Promise.all([fake.close(), github.close(), rm(dir, { recursive: true, force: true })]);
  });

  it('takes a new repository from deploy.yml to a pushed branch with the bootstrap deployed', async () => {
    const text = section(await readFile(join(ROOT, 'README.md'), 'utf8'), 'Ship your own API');
    const [config] = blocks(text, 'yaml');
    const script = blocks(text, 'sh').join('\n');
    expect(script).toContain('bootstrap deploy.yml');

    const repo = join(dir, 'notes');
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });
    git(dir, 'init', '-q', '--bare', 'origin.git');
    git(dir, 'init', '-q', '-b', 'main', 'notes');
    git(repo, 'config', 'user.email', 'dev@example.com');
    git(repo, 'config', 'user.name', 'Dev');
    git(repo, 'remote', 'add', 'origin', join(dir, 'origin.git'));
    await writeFile(join(repo, 'Dockerfile'), 'FROM node:24-alpine\nCOPY . .\nCMD ["node", "server.js"]\n');
    await writeFile(join(repo, 'deploy.yml'), config);

    const { AWS_REGION: _region, ...aws } = awsEnvironment(fake.url);
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'bash',
        ['-c', prelude('gho_readme') + script],
        { cwd: repo, env: { PATH: process.env.PATH, HOME: dir, ...aws, GITHUB_API_URL: github.url } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
      );
    });
    expect(run.output).toContain('is valid');
    expect(run.code).toBe(0);

    expect(fake.state().stacks.find((s) => s.name === 'bootstrap-notes' && s.live)?.status).toBe('CREATE_COMPLETE');
    const variables = Object.fromEntries(github.variables.get('acme/notes') ?? []);
    expect(variables).toMatchObject({
      AWS_DEPLOY_ROLE_ARN: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
      AWS_EXECUTION_ROLE_ARN: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
      AWS_TEMPLATE_BUCKET: expect.any(String),
      AWS_REGION: 'eu-west-1',
    });
    for (const workflow of ['deploy.yml', 'plan.yml']) {
      expect(existsSync(join(repo, '.github/workflows', workflow))).toBe(true);
    }
    const pushed = git(join(dir, 'origin.git'), 'ls-tree', '-r', '--name-only', 'deploy-with-private-fargate-api');
    expect(pushed.toString().split('\n').sort()).toEqual(
      ['', '.github/workflows/deploy.yml', '.github/workflows/plan.yml', 'deploy.yml'].sort(),
    );
  });
});
