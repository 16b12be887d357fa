// API Gateway's private integrations may send the app `/<stage>/path` rather than `/path` (AWS
// documents that they include the stage). The deploy sets API_STAGE_PREFIX=/<stage>: a request
// that carries the prefix has it removed before routing, and one that does not is routed as it is.
import type { RequestHandler } from 'express';

/** `/prod` from API_STAGE_PREFIX; undefined when unset or empty. A bad value is added to `problems`. */
export function stagePrefixSetting(raw: string | undefined, problems: string[]): string | undefined {
  if (!raw) return undefined;
  if (/^\/[A-Za-z0-9_-]+$/.test(raw)) return raw;
  problems.push(`API_STAGE_PREFIX must be / and the stage name, like /prod, not "${raw}"`);
  return undefined;
}

/** Removes a leading `/<stage>` segment (exactly that segment: `/production` is not `/prod`). */
export function stripStagePrefix(prefix: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (prefix && req.url.startsWith(prefix)) {
      const rest = req.url.slice(prefix.length);
      if (rest === '' || rest.startsWith('/') || rest.startsWith('?'))
        req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    next();
  };
}
