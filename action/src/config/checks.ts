// Checks that span more than one value, or that a regular expression cannot say well. Each returns
// the problems it finds (path relative to the object it is given, and a message that says what is
// wrong and what is allowed); schema.ts wires them in with superRefine, so the validator and the
// JSON Schema keep one source.
import { pascal } from '../naming.js';

export interface Finding {
  path: (string | number)[];
  message: string;
}

/** Memory (MiB) Fargate accepts for each cpu (CPU units). */
export const fargateSizes: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
  8192: Array.from({ length: 12 }, (_, i) => 16384 + i * 4096),
  16384: Array.from({ length: 12 }, (_, i) => 32768 + i * 8192),
};

export function fargateSizeFindings(cpu: number, memory: number): Finding[] {
  const memories = fargateSizes[cpu];
  if (!memories) {
    return [
      {
        path: ['cpu'],
        message: `${cpu} is not a Fargate cpu size: use one of ${Object.keys(fargateSizes).join(', ')}`,
      },
    ];
  }
  if (memories.includes(memory)) return [];
  return [
    { path: ['memory'], message: `${memory} MiB is not valid with cpu ${cpu}: use one of ${compactRange(memories)}` },
  ];
}

/** `512, 1024, 2048` or, for long evenly spaced lists, `4096 to 16384 in steps of 1024`. */
function compactRange(values: number[]): string {
  const [first, second] = values;
  if (values.length <= 4 || first === undefined || second === undefined) return values.join(', ');
  return `${first} to ${values.at(-1)} in steps of ${second - first}`;
}

const octet = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses `a.b.c.d/p`; undefined when it is not an IPv4 CIDR block. */
function parseCidr(cidr: string): { address: number; prefix: number } | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match || !match.slice(1, 5).every((o) => octet.test(o))) return undefined;
  const prefix = Number(match[5]);
  if (prefix > 32) return undefined;
  const address = match.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  return { address, prefix };
}

/** The VPC's block is cut into four equal subnets (network.ts), hence the prefix range it is given. */
export function cidrFindings(cidr: string, minPrefix: number, maxPrefix: number, why: string): Finding[] {
  const parsed = parseCidr(cidr);
  if (!parsed)
    return [
      {
        path: [],
        message: `"${cidr}" is not an IPv4 CIDR block: use four octets 0-255 and a prefix, like 10.40.0.0/16`,
      },
    ];
  const { address, prefix } = parsed;
  if (prefix < minPrefix || prefix > maxPrefix) {
    return [{ path: [], message: `/${prefix} is outside /${minPrefix} to /${maxPrefix}${why}` }];
  }
  const hostMask = 2 ** (32 - prefix);
  if (address % hostMask !== 0) {
    const base = address - (address % hostMask);
    const dotted = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
    return [{ path: [], message: `"${cidr}" has host bits set: the block starts at ${dotted}/${prefix}` }];
  }
  return [];
}

const literalSegment = /^[A-Za-z0-9._-]+$/;
const paramSegment = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/** API Gateway resource path rules: `/`, or `/`-separated literal and `{param}` segments. */
export function pathFindings(path: string): Finding[] {
  const problem = (message: string): Finding[] => [{ path: [], message }];
  if (!path.startsWith('/')) return problem(`"${path}" must start with /`);
  if (path === '/') return [];
  if (path.endsWith('/')) return problem(`"${path}" must not end with / (use ${path.replace(/\/+$/, '') || '/'})`);
  const names = new Set<string>();
  const segments = path.slice(1).split('/');
  for (const [i, segment] of segments.entries()) {
    if (segment === '') return problem(`"${path}" has an empty segment (//)`);
    const [, name, greedy] = paramSegment.exec(segment) ?? [];
    if (name === undefined) {
      if (!literalSegment.test(segment)) {
        return problem(
          `segment "${segment}" of "${path}" may only use A-Z a-z 0-9 . _ - or be a parameter like {id} or {proxy+}`,
        );
      }
      continue;
    }
    if (greedy && i < segments.length - 1) return problem(`greedy {${name}+} must be the last segment of "${path}"`);
    if (names.has(name)) return problem(`parameter {${name}} appears twice in "${path}"`);
    names.add(name);
  }
  return [];
}

interface RouteLike {
  path: string;
  methods: string[];
}

/**
 * Two routes for one method and path, and sibling path parameters with different names. Routes
 * that are themselves invalid are skipped: their own problems are reported already.
 */
export function routeTableFindings(routes: RouteLike[]): Finding[] {
  const findings: Finding[] = [];
  const methodsAt = new Map<string, { method: string; route: number }[]>();
  const paramAt = new Map<string, { segment: string; route: number }>();
  routes.forEach((route, r) => {
    if (typeof route?.path !== 'string' || pathFindings(route.path).length > 0 || !Array.isArray(route.methods)) return;
    const segments = route.path === '/' ? [] : route.path.slice(1).split('/');
    segments.forEach((segment, depth) => {
      if (!segment.startsWith('{')) return;
      const parent = '/' + segments.slice(0, depth).join('/');
      const seen = paramAt.get(parent);
      if (!seen) paramAt.set(parent, { segment, route: r });
      else if (seen.segment !== segment) {
        findings.push({
          path: [r, 'path'],
          message: `${segment} under "${parent}" clashes with ${seen.segment} in api.routes[${seen.route}]: API Gateway allows one parameter per position, so use the same name`,
        });
      }
    });
    const defined = methodsAt.get(route.path) ?? [];
    route.methods.forEach((method, m) => {
      const clash = defined.find((d) => d.method === method || d.method === 'ANY' || method === 'ANY');
      if (clash) {
        const where = clash.route === r ? 'this route' : `api.routes[${clash.route}]`;
        const what =
          clash.method === method
            ? `${method} ${route.path} is also defined by ${where}`
            : `${method} ${route.path} overlaps ${clash.method} in ${where} (ANY covers every method)`;
        findings.push({ path: [r, 'methods', m], message: what });
      }
      defined.push({ method, route: r });
    });
    methodsAt.set(route.path, defined);
  });
  return findings;
}

/** API key names that differ but become the same logical id (`a-1b` and `a1b` are both `A1bApiKey`). */
export function apiKeyIdFindings(names: string[]): Finding[] {
  return names.flatMap((name, i) => {
    const earlier = names.findIndex((other, j) => j < i && other !== name && pascal(other) === pascal(name));
    return earlier < 0
      ? []
      : [
          {
            path: [i],
            message: `API key "${name}" would get the same resource name as "${names[earlier]}"; rename one`,
          },
        ];
  });
}

/** Items of a list that appear more than once, reported at each repeat. */
export function duplicateFindings(values: string[], what: string): Finding[] {
  return values.flatMap((value, i) =>
    values.indexOf(value) < i ? [{ path: [i], message: `${what} "${value}" is listed twice` }] : [],
  );
}
