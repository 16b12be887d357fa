// The HTTP face of the quiz night: one route table (the deploy config's api.routes mirror it,
// and a test keeps the two in step), the checks each kind of caller needs, and the middleware.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { ApiError, badRequest, unauthorized } from './errors.js';
import { formPage, scoreboardPage } from './html.js';
import {
  errorHandler,
  methodNotAllowed,
  notFoundHandler,
  requestLog,
  securityHeaders,
  wantsHtml,
} from './http/middleware.js';
import { stripStagePrefix } from './http/stage-prefix.js';
import { silentLogger, type Logger } from './log.js';
import { QuizNight } from './quiz-night.js';
import type { QuizStore } from './store/store.js';
import { RETRY_AFTER_SECONDS, withDeadline } from './store/unavailable.js';

export interface AppOptions {
  store: QuizStore;
  /** What quizmaster requests must send in X-Quizmaster-Key. */
  quizmasterKey: string;
  logger?: Logger;
  /** Largest request body, in body-parser's notation. */
  bodyLimit?: string;
  now?: () => Date;
  /** True once shutdown has begun: /health then fails so the load balancer drains this task. */
  stopping?: () => boolean;
  /** How long one store call may take before the request is answered 503. */
  storeTimeoutMs?: number;
  /** How long /health waits for the store: below the load balancer's health check timeout. */
  healthTimeoutMs?: number;
  /** `/<stage>`: removed from the front of a path that carries it (API_STAGE_PREFIX). */
  stagePrefix?: string;
}

/** Who may call a route: anyone, a team with its token, or the quizmaster with the key. */
export type Access = 'public' | 'team' | 'quizmaster';

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway's notation, `{param}`. */
  path: string;
  access: Access;
  handle(night: QuizNight, req: Request, res: Response): Promise<unknown>;
}

const form = '/quizzes/{quizId}/rounds/{round}/form';
const answers = '/quizzes/{quizId}/rounds/{round}/answers';

export const routes: Route[] = [
  { method: 'POST', path: '/quizzes', access: 'quizmaster', handle: createQuiz },
  { method: 'GET', path: '/quizzes/{quizId}', access: 'public', handle: json((night, p) => night.summary(p.quizId)) },
  {
    method: 'POST',
    path: '/quizzes/{quizId}/teams',
    access: 'public',
    handle: json((night, p, req) => night.register(p.quizId, req.body, req.get('idempotency-key')), 201),
  },
  {
    method: 'GET',
    path: '/quizzes/{quizId}/teams',
    access: 'quizmaster',
    handle: json((night, p) => night.teams(p.quizId)),
  },
  { method: 'GET', path: form, access: 'team', handle: getForm },
  {
    method: 'PUT',
    path: answers,
    access: 'team',
    handle: json((night, p, req) => night.submit(p.quizId, p.round, teamToken(req), req.body)),
  },
  { method: 'POST', path: answers, access: 'team', handle: postForm },
  { method: 'GET', path: answers, access: 'quizmaster', handle: json((night, p) => night.answers(p.quizId, p.round)) },
  {
    method: 'POST',
    path: '/quizzes/{quizId}/rounds/{round}/close',
    access: 'quizmaster',
    handle: json((night, p) => night.closeRound(p.quizId, p.round)),
  },
  {
    method: 'PUT',
    path: '/quizzes/{quizId}/rounds/{round}/marks',
    access: 'quizmaster',
    handle: json((night, p, req) => night.mark(p.quizId, p.round, req.body)),
  },
  { method: 'GET', path: '/quizzes/{quizId}/scoreboard', access: 'public', handle: getScoreboard },
];

export function createApp({
  store,
  quizmasterKey,
  logger = silentLogger,
  bodyLimit = '64kb',
  now,
  stopping = () => false,
  storeTimeoutMs = 3000,
  healthTimeoutMs = 2000,
  stagePrefix,
}: AppOptions): Express {
  const night = new QuizNight(withDeadline(store, storeTimeoutMs), now, quizmasterKey);
  const healthStore = withDeadline(store, healthTimeoutMs);
  const app = express();
  app.disable('x-powered-by');
  app.use(stripStagePrefix(stagePrefix));
  app.use(requestLog(logger), securityHeaders());
  app.use(express.json({ limit: bodyLimit }), express.urlencoded({ extended: false, limit: bodyLimit }));

  app.get('/health', async (_req, res) => {
    if (stopping()) return void res.status(503).json({ status: 'stopping' });
    try {
      await healthStore.ping();
      res.json({ status: 'ok' });
    } catch (error) {
      logger.log('error', 'health check failed', { requestId: res.locals.requestId, error: String(error) });
      res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS));
      res.json({ status: 'unavailable', error: 'the store cannot be reached' });
    }
  });

  const checkKey = quizmasterCheck(quizmasterKey);
  for (const route of routes) {
    app[route.method.toLowerCase() as 'get' | 'post' | 'put'](expressPath(route.path), async (req, res) => {
      if (route.access === 'quizmaster') checkKey(req);
      await route.handle(night, req, res);
    });
  }
  for (const path of new Set(routes.map((route) => route.path))) {
    app.all(
      expressPath(path),
      methodNotAllowed(routes.filter((route) => route.path === path).map((route) => route.method)),
    );
  }
  app.all('/health', methodNotAllowed(['GET']));
  app.use(notFoundHandler);
  app.use(errorHandler(logger, bodyLimit));
  return app;
}

async function createQuiz(night: QuizNight, req: Request, res: Response) {
  const quiz = await night.createQuiz(req.body);
  // Relative, so it also resolves behind API Gateway's stage prefix.
  res.status(201).location(`quizzes/${quiz.id}`).json(quiz);
}

async function getForm(night: QuizNight, req: Request, res: Response) {
  const token = teamToken(req);
  const { quizId, round } = req.params as Params;
  const answerForm = await night.form(quizId, round, token);
  if (!wantsHtml(req)) return res.json(answerForm);
  const notice = req.query.saved === '1' ? 'Answers saved. You can change them until the round closes.' : undefined;
  res.type('html').send(formPage(answerForm, { token: token ?? '', notice }));
}

/** The phone form's POST: answers as form fields, then back to the form (post/redirect/get). */
async function postForm(night: QuizNight, req: Request, res: Response) {
  const { quizId, round } = req.params as Params;
  const token = teamToken(req);
  if (!req.is('application/x-www-form-urlencoded')) return res.json(await night.submit(quizId, round, token, req.body));
  const fields = singleFields(req.body as Record<string, unknown>);
  const typed = Object.fromEntries(Object.entries(fields).filter(([name]) => /^q\d+$/.test(name)));
  const submission = {
    version: /^\d+$/.test(fields.version ?? '') ? Number(fields.version) : fields.version,
    answers: Object.fromEntries(Object.entries(typed).map(([name, value]) => [name.slice(1), value])),
  };
  try {
    await night.submit(quizId, round, token, submission);
    res.redirect(303, `form?token=${encodeURIComponent(token ?? '')}&saved=1`);
  } catch (error) {
    // Show the form again with what went wrong; a refused correction shows the team's current answers.
    if (!(error instanceof ApiError) || error.status === 401 || error.status === 404) throw error;
    const current = await night.form(quizId, round, token);
    res
      .status(error.status)
      .type('html')
      .send(
        formPage(current, {
          token: token ?? '',
          errors: error.details ?? { submission: error.message },
          typed: error.status === 400 ? typed : undefined,
        }),
      );
  }
}

async function getScoreboard(night: QuizNight, req: Request, res: Response) {
  const board = await night.scoreboard((req.params as Params).quizId);
  if (wantsHtml(req)) res.type('html').send(scoreboardPage(board));
  else res.json(board);
}

/** A form's fields, each sent once: a field sent twice (`q1=1&q1=2`) is not something our form sends. */
function singleFields(body: Record<string, unknown>): Record<string, string> {
  const repeated = Object.entries(body).filter(([, value]) => typeof value !== 'string');
  if (repeated.length > 0)
    throw badRequest(
      'each form field may be sent only once',
      Object.fromEntries(repeated.map(([name]) => [name, 'was sent more than once'])),
    );
  return body as Record<string, string>;
}

/** The path parameters the routes use. */
type Params = { quizId: string; round: string };

/** A route that answers with what `call` returns, as JSON. */
function json(
  call: (night: QuizNight, params: Params, req: Request) => Promise<unknown>,
  status = 200,
): Route['handle'] {
  return async (night, req, res) => res.status(status).json(await call(night, req.params as Params, req));
}

/** From `Authorization: Bearer`, the form link's ?token= or the form's hidden field. */
function teamToken(req: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
  const fromForm = typeof req.body?.token === 'string' ? (req.body.token as string) : undefined;
  return bearer ?? fromQuery ?? fromForm;
}

function quizmasterCheck(key: string): (req: Request) => void {
  const expected = createHash('sha256').update(key).digest();
  return (req) => {
    const given = req.get('x-quizmaster-key');
    if (!given) throw unauthorized('quizmaster requests need the quizmaster key in the X-Quizmaster-Key header');
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected))
      throw new ApiError(403, 'the quizmaster key is not valid');
  };
}

const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
