// What changes for the API's users, read from the deployed and the rendered template: routes and
// methods added or removed, auth changes (a route becoming public stands out), throttling and
// quota, and the image (old → new digest).
import type { Template, Value } from '../render/template.js';
import { props, referencedId, resourcesOfType, show } from './template-view.js';

export type Auth = 'none' | 'api-key' | 'iam' | 'cognito' | 'custom';

export interface RouteView {
  /** `GET /quizzes/{quizId}` */
  route: string;
  auth: Auth;
}

/** Every method of the template's REST API, keyed by `METHOD /path`. */
export function routesOf(template: Template | undefined): Map<string, RouteView> {
  const routes = new Map<string, RouteView>();
  for (const [, method] of resourcesOfType(template, 'AWS::ApiGateway::Method')) {
    const p = props(method);
    const route = `${show(p.HttpMethod)} ${pathOf(template!, p.ResourceId)}`;
    routes.set(route, { route, auth: authOf(p) });
  }
  return routes;
}

function pathOf(template: Template, resourceId: Value | undefined, depth = 0): string {
  const id = referencedId(resourceId);
  const resource = id ? template.Resources[id] : undefined;
  // GetAtt RestApi.RootResourceId (or anything that is not a Resource): the root.
  if (!resource || resource.Type !== 'AWS::ApiGateway::Resource' || depth > 50) return '/';
  const parent = pathOf(template, props(resource).ParentId, depth + 1);
  return `${parent === '/' ? '' : parent}/${show(props(resource).PathPart)}`;
}

function authOf(p: Record<string, Value>): Auth {
  const type = show(p.AuthorizationType) || 'NONE';
  if (type === 'AWS_IAM') return 'iam';
  if (type === 'COGNITO_USER_POOLS') return 'cognito';
  if (type === 'CUSTOM') return 'custom';
  return p.ApiKeyRequired === true || p.ApiKeyRequired === 'true' ? 'api-key' : 'none';
}

export interface ApiChange {
  /** A route newly reachable without any auth. */
  public: boolean;
  text: string;
}

export interface ImageChange {
  before?: string;
  after?: string;
  /** The git SHAs the images were built from, when known. */
  commits?: { before?: string; after?: string };
  /** `https://github.com/owner/repo`, for a compare link between the two commits. */
  repositoryUrl?: string;
}

export function apiChanges(deployed: Template | undefined, rendered: Template, image?: ImageChange): ApiChange[] {
  const changes: ApiChange[] = [];
  const [before, after] = [routesOf(deployed), routesOf(rendered)];
  for (const [route, now] of after) {
    const old = before.get(route);
    if (!old) {
      changes.push({ public: now.auth === 'none', text: `+ ${route} (${describeAuth(now.auth)})` });
    } else if (old.auth !== now.auth) {
      const becamePublic = now.auth === 'none';
      changes.push({
        public: becamePublic,
        text: `~ ${route}: ${describeAuth(old.auth)} → ${describeAuth(now.auth)}${becamePublic ? ' — became PUBLIC' : ''}`,
      });
    }
  }
  for (const [route, old] of before)
    if (!after.has(route)) changes.push({ public: false, text: `- ${route} (was ${describeAuth(old.auth)})` });
  changes.push(...limitChanges(deployed, rendered));
  const imageLine = imageChange(image);
  if (imageLine) changes.push({ public: false, text: imageLine });
  return changes;
}

const describeAuth = (auth: Auth) => (auth === 'none' ? 'public' : auth);

/** Stage throttling, usage plan throttling and quota, as `100 req/s, burst 200`. */
export function limitsOf(template: Template | undefined): Record<string, string> {
  const limits: Record<string, string> = {};
  for (const [, stage] of resourcesOfType(template, 'AWS::ApiGateway::Stage')) {
    const settings = (props(stage).MethodSettings ?? []) as Record<string, Value>[];
    for (const setting of Array.isArray(settings) ? settings : []) {
      if (setting.ThrottlingRateLimit === undefined && setting.ThrottlingBurstLimit === undefined) continue;
      const where = `${show(setting.HttpMethod)} ${show(setting.ResourcePath)}`.replace('* /*', 'all routes');
      limits[`Throttling (stage ${show(props(stage).StageName)}, ${where})`] = rate(
        setting.ThrottlingRateLimit,
        setting.ThrottlingBurstLimit,
      );
    }
  }
  for (const [id, plan] of resourcesOfType(template, 'AWS::ApiGateway::UsagePlan')) {
    const p = props(plan);
    const throttle = p.Throttle as Record<string, Value> | undefined;
    if (throttle) limits[`Usage plan ${id} throttling`] = rate(throttle.RateLimit, throttle.BurstLimit);
    const quota = p.Quota as Record<string, Value> | undefined;
    if (quota)
      limits[`Usage plan ${id} quota`] = `${show(quota.Limit)} requests per ${show(quota.Period).toLowerCase()}`;
  }
  return limits;
}

const rate = (limit: Value | undefined, burst: Value | undefined) =>
  `${limit === undefined ? 'no rate limit' : `${show(limit)} req/s`}, ${burst === undefined ? 'no burst limit' : `burst ${show(burst)}`}`;

function limitChanges(deployed: Template | undefined, rendered: Template): ApiChange[] {
  if (!deployed) return [];
  const [before, after] = [limitsOf(deployed), limitsOf(rendered)];
  const changes: ApiChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] === after[key]) continue;
    changes.push({ public: false, text: `~ ${key}: ${before[key] ?? 'none'} → ${after[key] ?? 'none'}` });
  }
  return changes;
}

/** `repo@sha256:0123456789ab → sha256:fedcba987654` (digests shortened to 12 hex digits). */
function imageChange(image: ImageChange | undefined): string | undefined {
  if (!image?.after || image.before === image.after) return undefined;
  const short = (uri: string) => uri.replace(/@sha256:([a-f0-9]{12})[a-f0-9]{52}$/, '@sha256:$1');
  const repoOf = (uri: string) => uri.replace(/@.*/s, '');
  const [repoBefore, repoAfter] = [image.before && repoOf(image.before), repoOf(image.after)];
  const after = repoBefore === repoAfter ? short(image.after).slice(repoAfter.length + 1) : short(image.after);
  if (!image.before) return `+ Image: ${short(image.after)}`;
  const { before: from, after: to } = image.commits ?? {};
  const range =
    !from || !to
      ? ''
      : ` (commits ${from.slice(0, 7)}..${to.slice(0, 7)}${image.repositoryUrl ? `: ${image.repositoryUrl}/compare/${from}...${to}` : ''})`;
  return `~ Image: ${short(image.before)} → ${after}${range}`;
}
