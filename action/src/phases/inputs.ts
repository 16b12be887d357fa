// Every input of action.yml, read once, typed and checked, so the phases never touch the
// environment themselves. Keys are the input names of action.yml. The action reads them with
// @actions/core and the CLI from its options: this module knows neither.

export const modes = ['deploy', 'plan', 'render', 'delete'] as const;
export const builders = ['auto', 'buildx', 'buildah', 'podman'] as const;
export const driftModes = ['off', 'warn', 'fail'] as const;
export type Mode = (typeof modes)[number];

export interface Inputs {
  config: string;
  mode: Mode;
  'stack-name': string;
  environment: string;
  /** The input, else AWS_REGION / AWS_DEFAULT_REGION (configure-aws-credentials sets them); '' when none. */
  'aws-region': string;
  image: string;
  builder: (typeof builders)[number];
  'parameter-overrides': Record<string, string>;
  tags: Record<string, string>;
  'role-arn': string;
  's3-bucket': string;
  'timeout-minutes': number;
  'fail-on-empty-changeset': boolean;
  'delete-failed-stack': boolean;
  'termination-protection': boolean;
  /** 'auto' = the config's health check path; '' = no smoke test. */
  'smoke-path': string;
  'pr-comment': boolean;
  'github-token': string;
  /** Drift detection before the change set: off, warn (report it) or fail (stop before changing anything). */
  drift: (typeof driftModes)[number];
}

/** Reads and checks all inputs; lists every bad one at once. */
export function getInputs(read: (name: string) => string, env: NodeJS.ProcessEnv = process.env): Inputs {
  const problems: string[] = [];
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = read(name) || fallback;
    if (!allowed.includes(value as T)) problems.push(`input ${name}: "${value}" is not one of ${allowed.join(', ')}`);
    return value as T;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = read(name).trim().toLowerCase();
    if (value === '') return fallback;
    if (['true', 'yes', '1'].includes(value)) return true;
    if (['false', 'no', '0'].includes(value)) return false;
    problems.push(`input ${name}: "${value}" is not true or false`);
    return fallback;
  };
  const pairs = (name: string): Record<string, string> => {
    const result: Record<string, string> = {};
    // One per line, or comma-separated on a single line: lines keep commas inside values (lists).
    const text = read(name).trim();
    for (const item of text
      .split(text.includes('\n') ? '\n' : ',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const eq = item.indexOf('=');
      if (eq <= 0) problems.push(`input ${name}: "${item}" is not Key=Value`);
      else result[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
    }
    return result;
  };
  const timeout = Number(read('timeout-minutes') || '30');
  if (!Number.isFinite(timeout) || timeout <= 0)
    problems.push(`input timeout-minutes: "${read('timeout-minutes')}" is not a positive number`);
  const smokePath = read('smoke-path');

  const inputs: Inputs = {
    config: read('config') || 'deploy.yml',
    mode: oneOf('mode', modes, 'deploy'),
    'stack-name': read('stack-name').trim(),
    environment: read('environment').trim(),
    'aws-region': read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '',
    image: read('image').trim(),
    builder: oneOf('builder', builders, 'auto'),
    'parameter-overrides': pairs('parameter-overrides'),
    tags: pairs('tags'),
    'role-arn': read('role-arn').trim(),
    's3-bucket': read('s3-bucket').trim(),
    'timeout-minutes': timeout,
    'fail-on-empty-changeset': flag('fail-on-empty-changeset', false),
    'delete-failed-stack': flag('delete-failed-stack', true),
    'termination-protection': flag('termination-protection', false),
    'smoke-path': smokePath.trim(),
    'pr-comment': flag('pr-comment', true),
    'github-token': read('github-token'),
    drift: oneOf('drift', driftModes, 'warn'),
  };
  if (inputs['stack-name'] && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(inputs['stack-name']))
    problems.push(
      `input stack-name: "${inputs['stack-name']}" must start with a letter and use only letters, digits and - (128 at most)`,
    );
  if (inputs.environment && !/^[A-Za-z0-9-]{1,32}$/.test(inputs.environment))
    problems.push(`input environment: "${inputs.environment}" must be 1-32 letters, digits or -`);
  if (inputs['smoke-path'] && inputs['smoke-path'] !== 'auto' && !inputs['smoke-path'].startsWith('/'))
    problems.push(`input smoke-path: "${inputs['smoke-path']}" must start with / (or be empty to skip the smoke test)`);
  if (problems.length) throw new Error(`Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return inputs;
}

/** `<name>` or `<name>-<environment>`, unless the stack-name input says otherwise. */
export function stackNameFor(inputs: Pick<Inputs, 'stack-name' | 'environment'>, configName: string): string {
  return inputs['stack-name'] || (inputs.environment ? `${configName}-${inputs.environment}` : configName);
}
