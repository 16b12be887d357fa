// The workflows users copy or call: GitHub's own parser accepts them, and they use the action and
// the reusable workflow the way action.yml and deploy.yml define them.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { PROJECT_REPOSITORY } from '../test-support/project-repository.js';
import {
  loadWorkflowParser,
  type FileReference,
  type SourceFile,
  type WorkflowParser,
} from '../test-support/workflow-parser.js';

type Permissions = Record<string, string> | 'read-all' | 'write-all';
interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  permissions?: Permissions;
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  outputs?: Record<string, string>;
}
interface Inputs {
  inputs: Record<string, { default?: unknown }>;
}
interface Workflow {
  on: {
    workflow_call?: Inputs & { outputs: Record<string, { value: string }> };
    workflow_dispatch?: Inputs;
    pull_request?: { types?: string[] };
  };
  permissions?: Permissions;
  jobs: Record<string, Job>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): SourceFile => ({ name: path, content: readFileSync(join(root, path), 'utf8') });
const load = (path: string) => parse(read(path).content) as Workflow;
const yamlFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `${dir}/${name}`);

const examples = yamlFiles('workflows');
const workflowFiles = [...yamlFiles('.github/workflows'), ...examples];
const action = parse(read('action.yml').content) as { inputs: object; outputs: object };
const actionInputs = Object.keys(action.inputs);
const actionOutputs = Object.keys(action.outputs);
const reusable = load('.github/workflows/deploy.yml');

// The examples call this repository by the owner/name of package.json's repository field: resolve that to the checkout.
const thisRepository = PROJECT_REPOSITORY;
const isTheAction = (uses = '') =>
  /^(\.\/(\.private-fargate-api)?|private-fargate-api\/private-fargate-api@.+)$/.test(uses);
const isTheReusableWorkflow = (uses = '') => uses.startsWith(`${thisRepository}/.github/workflows/deploy.yml@`);
function localWorkflow(ref: FileReference): SourceFile | undefined {
  if ('owner' in ref && `${ref.owner}/${ref.repository}` !== thisRepository) return undefined;
  const path = ref.path.replace(/^\.\//, '');
  return existsSync(join(root, path)) ? read(path) : undefined;
}

const runs = (job: Job) => (job.steps ?? []).map((step) => step.run ?? '').join('\n');
const stepUsing = (job: Job, action: string) => job.steps?.find((step) => step.uses?.startsWith(action));
const theActionSteps = (job: Job) => (job.steps ?? []).filter((step) => isTheAction(step.uses));
const level = { none: 0, read: 1, write: 2 } as Record<string, number>;
// A job's own permissions replace the workflow's. Unset counts as none: the repository's default
// may be read-only, so an example has to say what it needs.
function granted(workflow: Workflow, job: Job, scope: string): number {
  const permissions = job.permissions ?? workflow.permissions ?? {};
  if (typeof permissions === 'string') return permissions === 'write-all' ? level.write : level.read;
  return level[permissions[scope] ?? 'none'];
}

describe("GitHub's workflow parser", () => {
  let parser: WorkflowParser;
  beforeAll(async () => {
    parser = await loadWorkflowParser();
  });

  const callingDeploy = (inputs: string) => [
    'on: push',
    'jobs:',
    '  deploy:',
    `    uses: ${thisRepository}/.github/workflows/deploy.yml@v1`,
    `    with: ${inputs}`,
  ];
  it.each([
    {
      mistake: 'an unknown context',
      lines: callingDeploy('{ environment: prod, aws-region: "${{ var.AWS_REGION }}", role-to-assume: x }'),
      expected: ["Unrecognized named-value: 'var'"],
    },
    {
      mistake: 'a misspelt input of the reusable workflow',
      lines: callingDeploy('{ envronment: prod, aws-region: x, role-to-assume: x }'),
      expected: [
        'Input environment is required',
        'Invalid input, envronment is not defined in the referenced workflow',
      ],
    },
  ])('reports $mistake', async ({ lines, expected }) => {
    const errors = await parser.workflowErrors({ name: 'typo.yml', content: lines.join('\n') }, localWorkflow);
    expect(errors).toEqual(expected.map((message) => expect.stringContaining(message)));
  });

  it.each(workflowFiles)('accepts %s', async (path) => {
    expect(await parser.workflowErrors(read(path), localWorkflow)).toEqual([]);
  });

  it('accepts action.yml', () => {
    expect(parser.actionErrors(read('action.yml'))).toEqual([]);
  });
});

describe('the reusable workflow', () => {
  const job = reusable.jobs.deploy;
  const { workflow_call: call, workflow_dispatch: dispatch } = reusable.on;

  it('takes the same inputs when called and when run by hand, the sample by default', () => {
    expect(Object.keys(dispatch!.inputs).sort()).toEqual(Object.keys(call!.inputs).sort());
    expect(dispatch!.inputs.config.default).toBe('sample-api/deploy.yml');
    expect(call!.inputs.config.default).toBe('deploy.yml');
  });

  it('assumes the role through OIDC', () => {
    expect(reusable.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    const credentials = stepUsing(job, 'aws-actions/configure-aws-credentials@');
    expect(credentials?.with?.['role-to-assume']).toContain('inputs.role-to-assume');
  });

  it('never runs two deploys of one stack at once, and asks the environment for approval', () => {
    expect(job.concurrency?.group).toMatch(/inputs\.config.*inputs\.environment/);
    expect(job.concurrency?.['cancel-in-progress']).toBe(false);
    expect(job.environment).toMatchObject({ name: '${{ inputs.environment }}' });
  });

  it("runs the action from this workflow's own commit, not from the caller's checkout", () => {
    const checkout = job.steps?.find((step) => step.with?.ref === '${{ job.workflow_sha }}');
    expect(checkout?.with?.repository).toBe('${{ job.workflow_repository }}');
    expect(theActionSteps(job).map((step) => step.uses)).toEqual([`./${String(checkout?.with?.path)}`]);
  });

  it("hands on the action's api-url and image-uri", () => {
    const [step] = theActionSteps(job);
    for (const output of ['api-url', 'image-uri']) {
      expect(call!.outputs[output].value).toBe(`\${{ jobs.deploy.outputs.${output} }}`);
      expect(job.outputs?.[output]).toBe(`\${{ steps.${step.id}.outputs.${output} }}`);
    }
  });
});

describe.each(workflowFiles)('%s', (path) => {
  const workflow = load(path);
  const jobs = Object.values(workflow.jobs);

  it('gives the action only inputs that action.yml declares', () => {
    for (const step of jobs.flatMap(theActionSteps)) {
      expect(Object.keys(step.with ?? {}).filter((name) => !actionInputs.includes(name))).toEqual([]);
    }
  });

  it('reads only outputs that exist', () => {
    const text = JSON.stringify(workflow);
    const actionIds = new Set(jobs.flatMap(theActionSteps).map((step) => step.id));
    const callers = new Set(Object.keys(workflow.jobs).filter((id) => isTheReusableWorkflow(workflow.jobs[id].uses)));
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (actionIds.has(id)) expect(actionOutputs).toContain(output);
    }
    for (const [, id, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (callers.has(id)) expect(Object.keys(reusable.on.workflow_call!.outputs)).toContain(output);
    }
  });

  it('grants the permissions its jobs need', () => {
    for (const job of jobs) {
      if (stepUsing(job, 'aws-actions/configure-aws-credentials@')) {
        expect(granted(workflow, job, 'id-token')).toBe(level.write);
      }
      if (isTheReusableWorkflow(job.uses)) {
        for (const [scope, needed] of Object.entries(reusable.permissions as Record<string, string>)) {
          expect({ scope, enough: granted(workflow, job, scope) >= level[needed] }).toEqual({ scope, enough: true });
        }
      }
      const comments = theActionSteps(job).some((step) => step.with?.mode === 'plan');
      if (comments || job.steps?.some((step) => step.run?.includes('gh pr comment'))) {
        expect(granted(workflow, job, 'pull-requests')).toBe(level.write);
      }
    }
  });
});

describe('the examples', () => {
  it('cover deploy on push, plan on pull requests, template export, previews and the reusable workflow', () => {
    expect([...examples].sort()).toEqual(
      [
        'deploy-on-push.yml',
        'export-templates.yml',
        'plan-on-pull-request.yml',
        'preview-environment.yml',
        'reusable-caller.yml',
      ].map((name) => `workflows/${name}`),
    );
  });

  it.each(examples)('%s says in its header which variables and secrets to set', (path) => {
    const { content } = read(path);
    const header = content.slice(0, content.search(/^[^#\n]/m));
    expect(header).toContain(PROJECT_REPOSITORY);
    for (const [name] of content.matchAll(/\b(vars|secrets)\.[\w-]+/g)) {
      expect(header).toContain(name.split('.')[1]);
    }
  });

  // The bootstrap's deploy role may only create change sets that name its execution role.
  it.each(examples)('%s passes the execution role wherever it touches a stack', (path) => {
    for (const job of Object.values(load(path).jobs)) {
      for (const step of theActionSteps(job).filter((step) => step.with?.mode !== 'render')) {
        expect(step.with?.['role-arn']).toBe('${{ vars.AWS_EXECUTION_ROLE_ARN }}');
      }
      if (isTheReusableWorkflow(job.uses)) {
        expect(job.with?.['execution-role-arn']).toBe('${{ vars.AWS_EXECUTION_ROLE_ARN }}');
      }
    }
  });

  it('deploy a preview per pull request and delete it when the pull request closes', () => {
    const preview = load('workflows/preview-environment.yml');
    expect(preview.on.pull_request?.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'closed']));
    const byMode = (mode: string | undefined) =>
      Object.values(preview.jobs).find((job) => theActionSteps(job).some((step) => step.with?.mode === mode));
    expect(byMode(undefined)?.if).toContain("github.event.action != 'closed'");
    expect(byMode('delete')?.if).toContain("github.event.action == 'closed'");
    for (const job of [byMode(undefined), byMode('delete')]) {
      expect(theActionSteps(job!)[0].with?.environment).toBe('pr-${{ github.event.number }}');
    }
  });

  it('upload the rendered template as an artifact', () => {
    const [job] = Object.values(load('workflows/export-templates.yml').jobs);
    const render = theActionSteps(job).find((step) => step.with?.mode === 'render');
    const upload = stepUsing(job, 'actions/upload-artifact@');
    expect(upload?.with?.path).toBe(`\${{ steps.${render?.id}.outputs.template-path }}`);
  });
});

describe('CI', () => {
  const ci = load('.github/workflows/ci.yml');

  it('runs the tests on Node 24', () => {
    expect(stepUsing(ci.jobs.test, 'actions/setup-node@')?.with).toMatchObject({ 'node-version': 24, cache: 'npm' });
    expect(runs(ci.jobs.test)).toContain('bash .ci/run');
  });

  it('fails when dist/ is not what the sources bundle to (the script release.test.ts runs)', () => {
    expect(runs(ci.jobs.dist)).toMatch(/npm ci[^]*scripts\/check-dist\.sh/);
  });

  it('renders the sample with the action from this checkout and checks that the template exists', () => {
    const render = ci.jobs.render;
    const [step] = theActionSteps(render);
    expect(step).toMatchObject({ uses: './', with: { mode: 'render', config: 'sample-api/deploy.yml' } });
    expect(JSON.stringify(render.steps?.slice(render.steps.indexOf(step)))).toContain(
      `steps.${step.id}.outputs.template-path`,
    );
  });
});

// README.md documents every input and output in a table under `### Inputs` / `### Outputs` whose
// first column is the name in backticks; the section runs to the next heading.
function documentedNames(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `### ${heading}`);
  if (start < 0) return [];
  const section = lines.slice(start + 1);
  const end = section.findIndex((line) => /^#{1,3} /.test(line));
  return section.slice(0, end < 0 ? undefined : end).flatMap((line) => /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1] ?? []);
}

describe('README.md', () => {
  const readme = existsSync(join(root, 'README.md')) ? read('README.md').content : '';
  const documented = /^### Inputs\s*$/m.test(readme);

  (documented ? it : it.skip)('lists exactly the inputs and outputs of action.yml', () => {
    expect(documentedNames(readme, 'Inputs').sort()).toEqual([...actionInputs].sort());
    expect(documentedNames(readme, 'Outputs').sort()).toEqual([...actionOutputs].sort());
  });
});

describe('the release workflow', () => {
  const release = load('.github/workflows/release.yml') as Workflow & { on: { push?: { tags?: string[] } } };

  it('runs on version tags only, and tests the tagged commit with the same script as CI', () => {
    expect(release.on.push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(runs(release.jobs.test)).toContain('bash .ci/run');
  });

  it('publishes only after the tests pass, with notes from the changes, and moves the major tag', () => {
    const job = release.jobs.release as Job & { needs?: string };
    expect(job.needs).toBe('test');
    expect(job.permissions).toEqual({ contents: 'write' });
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(runs(job)).toContain('scripts/release-notes.sh "$TAG"');
    expect(runs(job)).toMatch(/git tag --force "\$major" "\$TAG"[^]*git push --force origin "refs\/tags\/\$major"/);
  });
});

describe('supply chain and least privilege', () => {
  it.each(workflowFiles)('%s pins every third-party action by commit SHA, with its version in a comment', (path) => {
    const { content } = read(path);
    for (const [line, uses] of content.matchAll(/^\s*-?\s*uses:\s*(\S+).*$/gm)) {
      if (
        uses.startsWith('./') ||
        uses.startsWith(`${PROJECT_REPOSITORY}/`) ||
        uses.startsWith(`${PROJECT_REPOSITORY}@`)
      )
        continue;
      expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it('gives the reusable workflow, which also runs by hand, no pull request write access', () => {
    expect(reusable.on.workflow_dispatch).toBeDefined();
    expect(JSON.stringify(reusable.permissions)).not.toContain('pull-requests');
    for (const job of Object.values(reusable.jobs))
      expect(JSON.stringify(job.permissions ?? {})).not.toContain('pull-requests');
  });

  it('plans pull requests with the plan role, never the deploy role', () => {
    const [job] = Object.values(load('workflows/plan-on-pull-request.yml').jobs);
    expect(stepUsing(job, 'aws-actions/configure-aws-credentials@')?.with?.['role-to-assume']).toBe(
      '${{ vars.AWS_PLAN_ROLE_ARN }}',
    );
  });
});
