// The bootstrap stack's outputs as the GitHub repository variables the copy-ready workflows read
// (vars.AWS_DEPLOY_ROLE_ARN, vars.AWS_EXECUTION_ROLE_ARN, …), and setting them through GitHub's
// REST API. Outputs map by name, so an output the bootstrap gains later becomes a variable too.

export interface RepositoryVariable {
  name: string;
  value: string;
  /** Where the value comes from, said next to it. */
  source: string;
}

/** `DeployRoleArn` → `AWS_DEPLOY_ROLE_ARN`; a trailing `Name` is dropped (`TemplateBucketName` → `AWS_TEMPLATE_BUCKET`). */
export function variableNameFor(outputKey: string): string {
  const words = outputKey.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [outputKey];
  const kept = words.length > 1 && words.at(-1) === 'Name' ? words.slice(0, -1) : words;
  return `AWS_${kept.join('_').toUpperCase()}`;
}

/** The variables a repository needs after a bootstrap: one per stack output, and the Region. */
export function repositoryVariables(outputs: Record<string, string>, region: string): RepositoryVariable[] {
  const variables = Object.entries(outputs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ name: variableNameFor(key), value, source: `output ${key}` }));
  if (!variables.some((v) => v.name === 'AWS_REGION'))
    variables.push({ name: 'AWS_REGION', value: region, source: 'the Region of the bootstrap stack' });
  return variables;
}

/** What to do by hand: the values, and the `gh` commands that set them. */
export function variablesText(repository: string, variables: RepositoryVariable[]): string {
  const width = Math.max(...variables.map((v) => v.name.length));
  return [
    `Set these repository variables in ${repository} (Settings → Secrets and variables → Actions → Variables):`,
    ...variables.map((v) => `  ${v.name.padEnd(width)}  ${v.value}   (${v.source})`),
    '',
    'or with the GitHub CLI:',
    ...variables.map((v) => `  gh variable set ${v.name} --repo ${repository} --body '${v.value}'`),
    '',
    `(pass --github-token or set GITHUB_TOKEN to have this command set them)`,
    '',
  ].join('\n');
}

export interface GitHubApi {
  /** Base URL of the REST API: https://api.github.com, or GITHUB_API_URL on GitHub Enterprise. */
  url: string;
  token: string;
  /** Deadline of each call. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Creates or updates each variable (PATCH, then POST when it does not exist yet). Returns what each call did. */
export async function setRepositoryVariables(
  api: GitHubApi,
  repository: string,
  variables: RepositoryVariable[],
): Promise<{ name: string; action: 'created' | 'updated' }[]> {
  const done: { name: string; action: 'created' | 'updated' }[] = [];
  const base = `${api.url.replace(/\/+$/, '')}/repos/${repository}/actions/variables`;
  for (const variable of variables) {
    const body = JSON.stringify({ name: variable.name, value: variable.value });
    const updated = await call(api, 'PATCH', `${base}/${variable.name}`, body);
    if (updated.ok) {
      done.push({ name: variable.name, action: 'updated' });
      continue;
    }
    if (updated.status !== 404) throw await apiError(updated, variable.name, repository);
    const created = await call(api, 'POST', base, body);
    if (!created.ok) throw await apiError(created, variable.name, repository);
    done.push({ name: variable.name, action: 'created' });
  }
  return done;
}

function call(api: GitHubApi, method: string, url: string, body: string): Promise<Response> {
  const deadline = AbortSignal.timeout(api.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return fetch(url, {
    method,
    body,
    signal: api.signal ? AbortSignal.any([api.signal, deadline]) : deadline,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${api.token}`,
      'content-type': 'application/json',
      'user-agent': 'private-fargate-api',
      'x-github-api-version': '2022-11-28',
    },
  }).catch((error: unknown) => {
    const name = (error as { name?: string } | undefined)?.name;
    const reason = name === 'TimeoutError' ? 'no answer in time' : api.signal?.aborted ? 'cancelled' : String(error);
    throw new Error(`GitHub API ${method} ${url}: ${reason}`);
  });
}

async function apiError(response: Response, name: string, repository: string): Promise<Error> {
  const text = await response.text().catch(() => '');
  const message = (() => {
    try {
      return (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      return text;
    }
  })().slice(0, 200);
  const hint =
    response.status === 401 || response.status === 403 || response.status === 404
      ? ` (the token needs write access to ${repository}'s variables: a fine-grained token with "Variables: read and write", or a classic token with repo scope)`
      : '';
  return new Error(`could not set ${name} in ${repository}: GitHub answered ${response.status} ${message}${hint}`);
}
