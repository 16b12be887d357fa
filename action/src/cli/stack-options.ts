// The stack commands' options: the action's inputs under the same names, but each command takes
// (and its --help lists) only the ones it uses, so `delete --image x` is a mistake, not a no-op.
import { getInputs, type Inputs, type Mode } from '../phases/inputs.js';
import type { Options, ParsedArgs } from './command.js';
import { DEFAULT_CONFIG } from './validate.js';

/** Option name → [syntax after the name, what it does]. Booleans have no syntax. */
const OPTIONS = {
  'stack-name': ['NAME', "default: the config's name[-environment]"],
  environment: ['ENV', 'appended to the stack name, tagged on every resource'],
  'aws-region': ['REGION', "default: AWS_REGION, else the profile's region in ~/.aws/config"],
  profile: ['NAME', 'AWS profile from ~/.aws/config (default: AWS_PROFILE)'],
  image: ['URI', "deploy this image instead of building the config's image"],
  builder: ['auto|buildx|buildah|podman', ''],
  'parameter-overrides': ['K=V,…', 'extra stack parameters'],
  tags: ['K=V,…', 'stack tags'],
  'role-arn': ['ARN', 'CloudFormation execution role'],
  's3-bucket': ['BUCKET', 'for templates over 51,200 bytes'],
  'timeout-minutes': ['N', 'default 30'],
  'smoke-path': ['PATH', "default: the health check path; '' skips the smoke test"],
  drift: ['off|warn|fail', 'drift detection before the change set (default warn)'],
  'fail-on-empty-changeset': [undefined, 'fail when nothing changes'],
  'termination-protection': [undefined, 'turn on termination protection'],
  'delete-failed-stack': [
    undefined,
    'recreate a stack whose first create failed (default);\n--no-delete-failed-stack fails instead',
  ],
  yes: [undefined, 'delete without asking (needed when not in a terminal)'],
} as const satisfies Record<string, readonly [string | undefined, string]>;

export type OptionName = keyof typeof OPTIONS;

const AWS_HELP = `AWS credentials and endpoints come from the environment as for any AWS SDK tool
(AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_CLOUDFORMATION, ...).`;

/** Inputs that are flags: `--x`, `--no-x`, and (as in a workflow) `--x true|false`. */
const FLAG_INPUTS = ['fail-on-empty-changeset', 'termination-protection', 'delete-failed-stack'] as const;

/** The old name of `--no-delete-failed-stack`, still accepted but never suggested. */
export const DEPRECATED = 'keep-failed-stack';

const DEPLOY_OPTIONS: OptionName[] = [
  'stack-name',
  'environment',
  'aws-region',
  'profile',
  'image',
  'builder',
  'parameter-overrides',
  'tags',
  'role-arn',
  's3-bucket',
  'timeout-minutes',
  'smoke-path',
  'drift',
  'fail-on-empty-changeset',
  'termination-protection',
  'delete-failed-stack',
];
/** What each command takes: the smoke test and termination protection only matter to a deploy. */
export const OPTIONS_OF: Record<'plan' | 'deploy' | 'delete' | 'build', OptionName[]> = {
  deploy: DEPLOY_OPTIONS,
  plan: DEPLOY_OPTIONS.filter((name) => !['smoke-path', 'termination-protection'].includes(name)),
  delete: ['stack-name', 'environment', 'aws-region', 'profile', 'role-arn', 'timeout-minutes', 'yes'],
  build: ['aws-region', 'profile', 'builder'],
};

export function stackOptions(names: readonly OptionName[]): Options {
  const options: Options = {};
  for (const name of names) options[name] = { type: OPTIONS[name][0] === undefined ? 'boolean' : 'string' };
  if (names.includes('delete-failed-stack')) options[DEPRECATED] = { type: 'boolean' };
  return options;
}

export function stackOptionHelp(names: readonly OptionName[]): string {
  const rows = names.map((name): [string, string] => {
    const [syntax, text] = OPTIONS[name];
    return [`      --${name}${syntax ? ` ${syntax}` : ''}`, text];
  });
  rows.push(['  -h, --help', 'show this help']);
  // Rows without text (the builder's choices) may run past the column.
  const width = Math.max(...rows.filter(([, text]) => text).map(([left]) => left.length)) + 2;
  const lines = rows.flatMap(([left, text]) => {
    const [first, ...more] = text.split('\n');
    return [first ? `${left.padEnd(width)}${first}` : left, ...more.map((line) => `${' '.repeat(width)}${line}`)];
  });
  return `Options (the action's inputs, same names and meaning):\n${lines.join('\n')}\n${AWS_HELP}`;
}

/** The command line as the action's inputs; `warn` hears about deprecated options. */
export function inputsFromArgs(
  { values, positionals }: ParsedArgs,
  mode: Mode,
  warn: (message: string) => void = () => {},
): Inputs {
  const given: Record<string, string> = {
    config: positionals[0] ?? DEFAULT_CONFIG,
    mode,
    'pr-comment': 'false',
    'smoke-path': 'auto',
  };
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') given[name] = value;
  }
  for (const name of FLAG_INPUTS) {
    const value = values[name];
    if (typeof value === 'boolean') given[name] = String(value);
  }
  if (values[DEPRECATED]) {
    warn(`--${DEPRECATED} is deprecated: use --no-delete-failed-stack (the action's delete-failed-stack: false)`);
    given['delete-failed-stack'] = 'false';
  }
  return getInputs((name) => given[name] ?? '');
}

/**
 * `--flag true|false` and `--flag=true|false` as `--flag` / `--no-flag`, so a flag is written as
 * in a workflow's `with:`; parseArgs alone would take `false` for the config path.
 */
export function normaliseFlagValues(args: string[], options: Options): string[] {
  const isFlag = (arg: string) => arg.startsWith('--') && options[arg.slice(2)]?.type === 'boolean';
  const out: string[] = [];
  const rest = [...args];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    if (arg === '--') return [...out, arg, ...rest];
    const [, name, value] = /^--([^=]+)=(true|false)$/.exec(arg) ?? [];
    if (name && isFlag(`--${name}`)) {
      out.push(value === 'true' ? `--${name}` : `--no-${name}`);
    } else if (isFlag(arg) && (rest[0] === 'true' || rest[0] === 'false')) {
      out.push(rest.shift() === 'true' ? arg : `--no-${arg.slice(2)}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}
