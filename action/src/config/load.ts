// Reads and validates the config file. Every problem is found in one pass and reported together,
// each with its field path and the line and column the YAML gives it, so a user fixes them all
// in one edit instead of one per run.
import { readFile, stat } from 'node:fs/promises';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type ConfigProblem, errorMap, formatPath, type Path, problemsFromIssues } from './problems.js';
import { type Config, configSchema } from './schema.js';

export type { ConfigProblem } from './problems.js';

/** Problems a message lists; past that one slip (a mis-indented map) is repeating itself. */
const LISTED_PROBLEMS = 50;

export class ConfigError extends Error {
  constructor(
    readonly fileName: string,
    readonly problems: ConfigProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `  - ${formatProblem(fileName, p)}`);
    if (problems.length > LISTED_PROBLEMS) listed.push(`  … and ${problems.length - LISTED_PROBLEMS} more`);
    super(`${fileName} has ${count}:\n${listed.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `deploy.yml:7:5 service.desiredcount: unknown key: did you mean desiredCount?` */
export function formatProblem(fileName: string, problem: ConfigProblem): string {
  const where = problem.line ? `${fileName}:${problem.line}:${problem.column}` : fileName;
  return `${where} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/**
 * Largest config read. A deploy config is a few KiB; past this it is the wrong file, and parsing
 * megabytes of YAML would take a minute before saying so.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Reads, parses and validates a config file; throws ConfigError listing every problem.
 * `fileName` is how messages name the file (default: the path as given).
 */
export async function loadConfig(path: string, fileName = path, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const fail = (message: string) => new ConfigError(fileName, [{ path: '', message }]);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw fail(readFailure(error, env));
  });
  if (info.isDirectory()) throw fail('is a directory, not a config file: name the YAML file in it (deploy.yml)');
  if (info.size > MAX_CONFIG_BYTES) {
    throw fail(
      `is ${Math.ceil(info.size / 1024)} KiB, over the ${MAX_CONFIG_BYTES / 1024} KiB a config may have: is it the right file?`,
    );
  }
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw fail(readFailure(error, env));
  });
  return parseConfig(text, fileName);
}

function readFailure(error: NodeJS.ErrnoException, env: NodeJS.ProcessEnv): string {
  if (error.code === 'ENOENT') {
    // On a runner the usual cause is a job that never checked the repository out.
    const hint = env.GITHUB_ACTIONS === 'true' ? ': does the job run actions/checkout before this step?' : '';
    return `no such file${hint}`;
  }
  if (error.code === 'EACCES') return 'cannot be read: permission denied';
  return `cannot be read: ${error.code ?? error.message}`;
}

/** Parses and validates config YAML; throws ConfigError listing every problem at once. */
export function parseConfig(yamlText: string, fileName: string): Config {
  if (yamlText.includes('\u0000') || yamlText.includes('\ufffd')) {
    throw new ConfigError(fileName, [{ path: '', message: 'is binary data, not YAML text: is it the right file?' }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const [first] = doc.errors;
  if (first) {
    throw new ConfigError(fileName, [
      syntaxProblem({ ...position(first.pos[0]), code: first.code, message: first.message }, yamlText),
    ]);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ConfigError(fileName, [
      { path: '', message: 'the file is empty: a config needs at least name and service.port' },
    ]);
  }
  const result = configSchema.safeParse(data, { error: errorMap, reportInput: true });
  if (result.success) return result.data;
  const problems = problemsFromIssues(result.error.issues, configSchema).map(({ path, key, message }) => {
    const node = nodeAt(doc.contents, path, key ?? false);
    return { path: formatPath(path), ...(node?.range ? position(node.range[0]) : {}), message };
  });
  throw new ConfigError(fileName, sortByPosition(problems));
}

/**
 * The YAML node for a field path: the value, or its key when `key` is set (unknown keys). When
 * the path is missing (a required field), the key of the deepest pair that exists, so the
 * position points at the section that lacks it.
 */
function nodeAt(root: unknown, path: Path, key: boolean): Node | undefined {
  let node = root;
  let nearest = isNode(root) ? root : undefined;
  for (const [i, step] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return nearest;
      if (key && i === path.length - 1) return pair.key as Node;
      nearest = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && isNode(node.items[step])) {
      node = nearest = node.items[step] as Node;
    } else {
      return nearest;
    }
  }
  return isNode(node) ? node : nearest;
}

/**
 * The first YAML error only: after one slip the parser misreads the rest of the file, and the
 * errors that follow are echoes that go away with the fix.
 */
function syntaxProblem(
  { line, column, code, message }: { line: number; column: number; code: string; message: string },
  yamlText: string,
): ConfigProblem {
  if (code === 'MULTIPLE_DOCS') {
    return {
      path: '',
      line,
      column,
      message: 'holds more than one YAML document (a --- line): a config is one document',
    };
  }
  // `{ path: /a/{id} }` is the classic: braces inside a flow map need quotes.
  const hint = /[[{,].*\/\{/.test(yamlText.split('\n')[line - 1] ?? '')
    ? ' (inside { } or [ ], quote values with braces: path: "/quizzes/{id}")'
    : '';
  return { path: '', line, column, message: `YAML syntax: ${message.split('\n')[0]}${hint}` };
}

function sortByPosition(problems: ConfigProblem[]): ConfigProblem[] {
  const line = (p: ConfigProblem) => p.line ?? Number.MAX_SAFE_INTEGER;
  return [...problems].sort((a, b) => line(a) - line(b) || (a.column ?? 0) - (b.column ?? 0));
}
