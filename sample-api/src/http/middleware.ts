// The cross-cutting parts of every response: request ids and access logs, security headers,
// 404/405 and the one place where errors become responses.
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors.js';
import { errorPage, STYLE_SOURCE } from '../html.js';
import type { Logger } from '../log.js';
import { RETRY_AFTER_SECONDS, StoreUnavailable } from '../store/unavailable.js';

/** Keeps a caller's X-Request-Id when it is sane (API Gateway can pass its own), else makes one. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('close', () => {
      // The path only: query strings can carry a team token.
      const fields = { requestId, method: req.method, path: req.path };
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.writableFinished) return logger.log('info', 'request', { ...fields, status: res.statusCode, ms });
      // The connection closed before the answer was complete: the client left, or shutdown cut it.
      // Only a status that went out is logged; the one Express starts with (200) never did.
      logger.log('warn', 'request aborted', { ...fields, ...(res.headersSent ? { status: res.statusCode } : {}), ms });
    });
    next();
  };
}

export function securityHeaders(): RequestHandler {
  const policy = `default-src 'none'; style-src ${STYLE_SOURCE}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': policy,
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      // Form links carry the team token: never hand it to another site.
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    next();
  };
}

/** For a path the API knows but a method it does not serve there. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  const allow = [...new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
  return (req, res) => {
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') res.status(204).end();
    else
      sendError(
        req,
        res,
        new ApiError(405, `${req.method} is not allowed on ${req.path}; use ${allowed.join(' or ')}`),
      );
  };
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendError(req, res, new ApiError(404, `there is nothing at ${req.path}`));

export function errorHandler(logger: Logger, bodyLimit: string): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof ApiError) return sendError(req, res, error);
    if (error instanceof StoreUnavailable) {
      logger.log('warn', 'store unavailable', { requestId: res.locals.requestId, error: error.message });
      if (!res.headersSent) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return sendError(req, res, new ApiError(503, 'the quiz store is not answering: try again in a few seconds'));
    }
    // body-parser's errors carry a type and a 4xx status.
    if (error?.type === 'entity.too.large')
      return sendError(req, res, new ApiError(413, `the body is larger than the limit of ${bodyLimit}`));
    if (error?.type === 'entity.parse.failed')
      return sendError(req, res, new ApiError(400, 'the body is not valid JSON'));
    if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500)
      return sendError(req, res, new ApiError(error.status, String(error.message)));
    logger.log('error', 'request failed', {
      requestId: res.locals.requestId,
      error: error instanceof Error ? error.stack : String(error),
    });
    sendError(req, res, new ApiError(500, `something went wrong on our side (request ${res.locals.requestId})`));
  };
}

export function sendError(req: Request, res: Response, error: ApiError): void {
  if (res.headersSent) return void res.end();
  res.status(error.status);
  if (wantsHtml(req)) res.type('html').send(errorPage(error.status, error.message, error.details));
  else res.json({ error: error.message, ...(error.details ? { details: error.details } : {}), ...error.extra });
}

/** Browsers ask for HTML first; API clients and curl (Accept: *\/*) get JSON. */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}
