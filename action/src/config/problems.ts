// Turns zod issues into problems a person can act on: the field path as written in the YAML
// (`api.routes[2].path`), what is wrong and what is allowed, and for unknown keys the key that
// was probably meant.
import type { z } from 'zod';

export interface ConfigProblem {
  /** Field path, e.g. `service.desiredcount` or `api.routes[1].methods[0]`; '' for the whole file. */
  path: string;
  /** 1-based position in the YAML file, when the YAML has the node. */
  line?: number;
  column?: number;
  message: string;
}

export type Path = (string | number)[];

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Longest excerpt of a value a message quotes: a config never needs more, and a file read by mistake shows no more. */
const EXCERPT_CHARS = 60;

/** False for control characters other than tab and line breaks, or U+FFFD (bytes that were not UTF-8). */
function isText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) return false;
  }
  return true;
}

/** A string as a message quotes it: whole when short, else its start and its length. */
export function excerpt(text: string): string {
  if (!isText(text)) return `binary data (${text.length} characters)`;
  if (text.length <= EXCERPT_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, EXCERPT_CHARS))}… (${text.length} characters)`;
}

/** How a value reads in a message: `"256" (a string)`, `2.5`, `a list`. */
function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${excerpt(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined ? 'no value' : typeof value;
}

const kinds: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map of keys and values',
  record: 'a map of keys and values',
  map: 'a map of keys and values',
  array: 'a list',
};

/** Messages for zod's built-in checks; messages written in the schema take precedence over these. */
export const errorMap: z.core.$ZodErrorMap = (issue) => {
  const got = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      const kind = kinds[issue.expected] ?? issue.expected;
      if (got === undefined) return `is required (${kind})`;
      const hint =
        typeof got === 'string' && got.trim() !== '' && !Number.isNaN(Number(got)) && issue.expected !== 'string'
          ? ': remove the quotes'
          : '';
      return `must be ${kind}, not ${describe(got)}${hint}`;
    }
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => String(v)).join(', ')}`}, not ${describe(got)}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = Number(small ? issue.minimum : issue.maximum);
      const bound = small
        ? issue.inclusive === false
          ? 'more than'
          : 'at least'
        : issue.inclusive === false
          ? 'less than'
          : 'at most';
      if (issue.origin === 'array') return `needs ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return small && limit === 1 ? 'must not be empty' : `must be ${bound} ${limit} characters`;
      return `must be ${bound} ${limit}, not ${describe(got)}`;
    }
    case 'invalid_format':
      return `${describe(got)} does not match ${'pattern' in issue ? issue.pattern : issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
};

/** Closest known key: same letters in another case, or at most two edits away. */
export function suggestKey(unknown: string, known: string[]): string | undefined {
  const folded = known.find((k) => k.toLowerCase() === unknown.toLowerCase());
  if (folded) return folded;
  const scored = known
    .map((k) => ({ k, d: editDistance(unknown.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const [closest] = scored;
  return closest && closest.d <= Math.min(2, Math.floor(unknown.length / 3)) ? closest.k : undefined;
}

// Levenshtein distance, one row of the table at a time: row[j] is the distance from the letters of
// a read so far to the first j of b.
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length;
  for (const [i, letter] of a.split('').entries()) {
    let diagonal = i; // the row above's first cell
    let left = i + 1;
    const next = [left];
    for (const [j, above] of row.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (letter === b[j] ? 0 : 1));
      next.push(left);
      diagonal = above;
    }
    row = next;
    distance = left;
  }
  return distance;
}

/** Keys an object schema at `path` accepts, looking through optional, default, pipe, array… */
export function knownKeys(schema: z.core.$ZodType, path: Path): string[] {
  let node: z.core.$ZodType | undefined = schema;
  const steps = [...path];
  while (node) {
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object' && steps.length === 0) return Object.keys(def.shape as object);
    const inner = def.innerType ?? def.in ?? (def.type === 'array' ? def.element : undefined);
    if (inner) {
      node = inner as z.core.$ZodType;
      if (def.type === 'array') steps.shift();
      continue;
    }
    const step = steps.shift();
    if (def.type === 'object') node = (def.shape as Record<string, z.core.$ZodType>)[String(step)];
    else if (def.type === 'record') node = def.valueType as z.core.$ZodType;
    else return [];
  }
  return [];
}

/**
 * The section one level down that has `key` (Copilot and Compose habits put `cpu:` or `port:` at
 * the top), so the message can say where it goes.
 */
function sectionHolding(schema: z.core.$ZodType, path: Path, key: string, known: string[]): string | undefined {
  const section = known.find((name) => knownKeys(schema, [...path, name]).includes(key));
  return section && formatPath([...path, section]);
}

/** `image: nginx:latest` means "run this image"; the config's image section says how to build one. */
function readyImageMessage(value: string): string {
  return (
    `must be a map saying how to build your image (context, dockerfile, ...), not the string ${excerpt(value)}: ` +
    "to deploy a ready-made image, leave image out of the config and pass it in the action's image input (CLI: --image)"
  );
}

/** Keys an older version accepted, and why they are gone: a plain "unknown key" would not say. */
const RETIRED_KEYS: Record<string, string> = {
  'network.existing.vpcCidr':
    "is no longer used: the tasks admit only the load balancer's security group, never a CIDR (anything else in the VPC would skip API Gateway's auth); remove it",
};

/** One problem per zod issue (per key for unknown keys); positions are added by the caller. */
export function problemsFromIssues(
  issues: z.core.$ZodIssue[],
  schema: z.core.$ZodType,
): { path: Path; key?: boolean; message: string }[] {
  return issues.flatMap((issue) => {
    const path = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      return issue.keys.map((key) => {
        const retired = RETIRED_KEYS[[...path, key].join('.')];
        if (retired) return { path: [...path, key], key: true, message: retired };
        const guess = suggestKey(key, known);
        const section = guess ? undefined : sectionHolding(schema, path, key, known);
        const message = guess
          ? `unknown key: did you mean ${guess}?`
          : section
            ? `unknown key here: did you mean ${section}.${key}? (it belongs in the ${section} section)`
            : `unknown key: allowed here are ${known.join(', ')}`;
        return { path: [...path, key], key: true, message };
      });
    }
    if (issue.code === 'invalid_type' && formatPath(path) === 'image' && typeof issue.input === 'string') {
      return [{ path, message: readyImageMessage(issue.input) }];
    }
    if (issue.code === 'invalid_key') {
      const key = String(path.at(-1));
      return issue.issues.map((inner) => ({ path, key: true, message: `key ${JSON.stringify(key)} ${inner.message}` }));
    }
    return [{ path, message: issue.message }];
  });
}
