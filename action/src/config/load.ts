// Reads and validates the config file. Every problem is found in one pass and reported together,
// each with its field path and the line and column the YAML gives it, so a user fixes them all
// in one edit instead of one per run.
import { readFile } from 'node:fs/promises';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type ConfigProblem, errorMap, formatPath, type Path, problemsFromIssues } from './problems.js';
import { type Config, configSchema } from './schema.js';

export type { ConfigProblem } from './problems.js';

export class ConfigError extends Error {
  constructor(
    readonly fileName: string,
    readonly problems: ConfigProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${fileName} has ${count}:\n${problems.map((p) => `  - ${formatProblem(fileName, p)}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `deploy.yml:7:5 service.desiredcount: unknown key: did you mean desiredCount?` */
export function formatProblem(fileName: string, problem: ConfigProblem): string {
  const where = problem.line ? `${fileName}:${problem.line}:${problem.column}` : fileName;
  return `${where} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/**
 * Reads, parses and validates a config file; throws ConfigError listing every problem.
 * `fileName` is how messages name the file (default: the path as given).
 */
export async function loadConfig(path: string, fileName = path): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(fileName, [{ path: '', message: `cannot read the config: ${reason}` }]);
  }
  return parseConfig(text, fileName);
}

/** Parses and validates config YAML; throws ConfigError listing every problem at once. */
export function parseConfig(yamlText: string, fileName: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0)
    throw new ConfigError(
      fileName,
      syntaxProblems(
        doc.errors.map((e) => ({ ...position(e.pos[0]), message: e.message })),
        yamlText,
      ),
    );
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ConfigError(fileName, [
      { path: '', message: 'the file is empty: a config needs at least name, image and service.port' },
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

/** The first YAML error of each line (one slip often confuses the parser for the rest of it). */
function syntaxProblems(
  errors: { line: number; column: number; message: string }[],
  yamlText: string,
): ConfigProblem[] {
  const lines = yamlText.split('\n');
  return errors
    .filter((e, i) => errors.findIndex((other) => other.line === e.line) === i)
    .map(({ line, column, message }) => {
      // `{ path: /a/{id} }` is the classic: braces inside a flow map need quotes.
      const hint = /[[{,].*\/\{/.test(lines[line - 1] ?? '')
        ? ' (inside { } or [ ], quote values with braces: path: "/quizzes/{id}")'
        : '';
      return { path: '', line, column, message: `YAML syntax: ${message.split('\n')[0]}${hint}` };
    });
}

function sortByPosition(problems: ConfigProblem[]): ConfigProblem[] {
  const line = (p: ConfigProblem) => p.line ?? Number.MAX_SAFE_INTEGER;
  return [...problems].sort((a, b) => line(a) - line(b) || (a.column ?? 0) - (b.column ?? 0));
}
