// The route table as API Gateway sees it: paths split into resources that nested routes share,
// and stable, readable logical ids for each resource and method.
import { createHash } from 'node:crypto';
import type { Config, Route } from '../config/schema.js';
import { pascal } from '../naming.js';

export interface Segment {
  /** As written: `quizzes`, `{quizId}`, `{proxy+}`. */
  part: string;
  /** The path parameter's name, for `{name}` and `{name+}`. */
  param?: string;
  greedy: boolean;
}

export function parsePath(path: string): Segment[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const match = /^\{([^}+]+)(\+?)\}$/.exec(part);
      return match ? { part, param: match[1], greedy: match[2] === '+' } : { part, greedy: false };
    });
}

/** `/quizzes/{quizId}` → `/quizzes/{quizId}`; `/{proxy+}` → `/{proxy}`: the path the backend sees. */
export function backendPath(path: string): string {
  return (
    '/' +
    parsePath(path)
      .map((s) => (s.param !== undefined ? `{${s.param}}` : s.part))
      .join('/')
  );
}

/** `/quizzes/{quizId}` → `/quizzes/*`: the path in an execute-api ARN. */
export function arnPath(path: string): string {
  return (
    '/' +
    parsePath(path)
      .map((s) => (s.param !== undefined ? '*' : s.part))
      .join('/')
  );
}

export const pathParams = (path: string): string[] =>
  parsePath(path).flatMap((s) => (s.param !== undefined ? [s.param] : []));

/** The configured routes, or, when there are none, everything (`/` and `/{proxy+}`) to the service. */
export function effectiveRoutes(config: Config): Route[] {
  if (config.api.routes.length > 0) return config.api.routes;
  const proxy = (path: string): Route => ({
    path,
    methods: ['ANY'],
    auth: 'none',
    target: 'service',
    requiredQuery: [],
    requiredHeaders: [],
  });
  return [proxy('/'), proxy('/{proxy+}')];
}

/** Every resource path the routes need, parents before children: `/a`, `/a/{b}`, … (root excluded). */
export function resourcePaths(routes: Route[]): string[] {
  const paths = new Set<string>();
  for (const route of routes) {
    const segments = parsePath(route.path);
    for (let depth = 1; depth <= segments.length; depth++) {
      paths.add(
        '/' +
          segments
            .slice(0, depth)
            .map((s) => s.part)
            .join('/'),
      );
    }
  }
  return [...paths].sort((a, b) => depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

const depthOf = (path: string) => parsePath(path).length;

/**
 * Logical ids from paths: `/quizzes/{quizId}` → `QuizzesQuizId`. Paths that differ only in
 * punctuation (`/a-b`, `/a_b`) would collide, so the later one gets a short hash of its path.
 */
export class PathNames {
  private readonly owners = new Map<string, string>();

  name(path: string): string {
    const segments = parsePath(path);
    const base = segments.length === 0 ? 'Root' : segments.map((s) => pascal(s.param ?? s.part)).join('') || 'Path';
    const owner = this.owners.get(base);
    if (owner === undefined || owner === path) {
      this.owners.set(base, path);
      return base;
    }
    return base + createHash('sha256').update(path).digest('hex').slice(0, 8);
  }
}
