// Every way a request can be wrong, against each store: the right status and a message that says
// what to fix.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { QUIZMASTER_KEY, startApp, type CallOptions, type TestApp } from './testing/http.js';
import { fridayQuiz } from './testing/quiz.js';
import { startStore, storeKinds, type TestStore } from './testing/stores.js';

interface Case {
  name: string;
  method: string;
  /** `Q` stands for a quiz whose round 1 is closed and round 2 open; `Q2` for a second quiz. */
  path: string;
  options?: (ctx: { owls: string; otherQuizToken: string }) => CallOptions;
  status: number;
  error: string | RegExp;
  details?: Record<string, string>;
}

const question = (extra: object) => ({
  ...fridayQuiz,
  rounds: [{ title: 'R', questions: [{ type: 'number', text: 'Q?', answer: 1, ...extra }] }],
});

const cases: Case[] = [
  // Creating a quiz
  {
    name: 'a quiz without the key',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ body: fridayQuiz }),
    status: 401,
    error: /X-Quizmaster-Key/,
  },
  {
    name: 'a quiz with a wrong key',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ body: fridayQuiz, headers: { 'x-quizmaster-key': 'guess' } }),
    status: 403,
    error: 'the quizmaster key is not valid',
  },
  {
    name: 'a quiz without a body',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ quizmaster: true }),
    status: 400,
    error: 'send the quiz as a JSON body with "Content-Type: application/json"',
  },
  {
    name: 'a quiz that is not JSON',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ quizmaster: true, raw: '{"title": ', headers: { 'content-type': 'application/json' } }),
    status: 400,
    error: 'the body is not valid JSON',
  },
  {
    name: 'a quiz missing fields and with wrong types',
    method: 'POST',
    path: '/quizzes',
    options: () => ({
      quizmaster: true,
      body: {
        date: '27/11/2026',
        rounds: [{ title: 'R', questions: [{ type: 'number', text: 'Q?', answer: 'one', points: '2' }] }],
      },
    }),
    status: 400,
    error: 'invalid quiz',
    details: {
      title: 'Invalid input: expected string, received undefined',
      date: 'must be a date like 2026-11-27',
      'rounds.0.questions.0.answer': 'must be a number',
      'rounds.0.questions.0.points': 'Invalid input: expected number, received string',
    },
  },
  {
    name: 'a question of an unknown type',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ quizmaster: true, body: question({ type: 'essay' }) }),
    status: 400,
    error: 'invalid quiz',
    details: { 'rounds.0.questions.0.type': 'type must be one of text, number, choice' },
  },
  {
    name: 'a quiz whose numbers no store can hold exactly',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ quizmaster: true, body: question({ answer: 6.02214076e23, tolerance: 1e-200 }) }),
    status: 400,
    error: 'invalid quiz',
    details: {
      'rounds.0.questions.0.answer': 'must be at most 9007199254740991 in size',
      'rounds.0.questions.0.tolerance': 'must be 0 or at least 1e-130 in size',
    },
  },
  {
    name: 'a choice question whose answer is not a choice',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ quizmaster: true, body: question({ type: 'choice', choices: ['A', 'B'], answer: 'C' }) }),
    status: 400,
    error: 'invalid quiz',
    details: { 'rounds.0.questions.0.answer': 'must be one of the choices' },
  },
  {
    name: 'a body over the limit',
    method: 'POST',
    path: '/quizzes',
    options: () => ({ quizmaster: true, body: { title: 'x'.repeat(70_000) } }),
    status: 413,
    error: 'the body is larger than the limit of 64kb',
  },

  // Unknown things
  {
    name: 'an unknown quiz',
    method: 'GET',
    path: '/quizzes/nosuchquiz',
    status: 404,
    error: 'there is no quiz nosuchquiz',
  },
  {
    name: 'registering for an unknown quiz',
    method: 'POST',
    path: '/quizzes/nosuchquiz/teams',
    options: () => ({ body: { name: 'A', contact: 'a', players: 2 } }),
    status: 404,
    error: 'there is no quiz nosuchquiz',
  },
  {
    name: 'the scoreboard of an unknown quiz',
    method: 'GET',
    path: '/quizzes/nosuchquiz/scoreboard',
    status: 404,
    error: 'there is no quiz nosuchquiz',
  },
  {
    name: 'a round that is not a number',
    method: 'GET',
    path: '/quizzes/Q/rounds/first/form',
    options: ({ owls }) => ({ token: owls }),
    status: 400,
    error: 'round must be a round number (1, 2, …), not "first"',
  },
  {
    name: 'a round the quiz does not have',
    method: 'GET',
    path: '/quizzes/Q/rounds/3/form',
    options: ({ owls }) => ({ token: owls }),
    status: 404,
    error: /has 2 rounds, not 3$/,
  },
  {
    name: 'an overlong quiz id',
    method: 'GET',
    path: `/quizzes/${'x'.repeat(3000)}`,
    status: 404,
    error: /^there is no quiz x+$/,
  },
  { name: 'an unknown path', method: 'GET', path: '/quizes', status: 404, error: 'there is nothing at /quizes' },

  // Registration
  {
    name: 'a registration missing fields and with wrong types',
    method: 'POST',
    path: '/quizzes/Q/teams',
    options: () => ({ body: { name: '  ', players: 'four' } }),
    status: 400,
    error: 'invalid registration',
    details: {
      name: 'must not be empty',
      contact: 'Invalid input: expected string, received undefined',
      players: 'must be a number',
    },
  },
  {
    name: 'a team name of zero-width characters only',
    method: 'POST',
    path: '/quizzes/Q/teams',
    options: () => ({ body: { name: '\u200b\u200d\u2060', contact: 'x', players: 3 } }),
    status: 400,
    error: 'invalid registration',
    details: { name: 'must contain a visible letter, digit or symbol' },
  },
  {
    name: 'a team name with NUL or a right-to-left override',
    method: 'POST',
    path: '/quizzes/Q/teams',
    options: () => ({ body: { name: 'Owls\u0000', contact: 'x', players: 3 } }),
    status: 400,
    error: 'invalid registration',
    details: { name: 'must not contain control or text-direction characters (found U+0000)' },
  },
  {
    name: 'a team name that reverses how it displays',
    method: 'POST',
    path: '/quizzes/Q/teams',
    options: () => ({ body: { name: 'Quiz \u202Eslwo', contact: 'x', players: 3 } }),
    status: 400,
    error: 'invalid registration',
    details: { name: 'must not contain control or text-direction characters (found U+202E)' },
  },
  {
    name: 'a team name past the key limit once normalised',
    method: 'POST',
    path: '/quizzes/Q/teams',
    options: () => ({ body: { name: '\uFDFA'.repeat(60), contact: 'x', players: 3 } }),
    status: 400,
    error: 'invalid registration',
    details: { name: 'is too long once normalised: 1980 bytes of UTF-8, at most 1015' },
  },
  {
    name: 'a team name already taken',
    method: 'POST',
    path: '/quizzes/Q/teams',
    options: () => ({ body: { name: 'OWLS', contact: 'x', players: 3 } }),
    status: 409,
    error: 'a team called "OWLS" is already registered for this quiz',
  },

  // Team tokens
  {
    name: 'a form without a token',
    method: 'GET',
    path: '/quizzes/Q/rounds/2/form',
    status: 401,
    error: /a team token is required/,
  },
  {
    name: 'a form with a made-up token',
    method: 'GET',
    path: '/quizzes/Q/rounds/2/form',
    options: () => ({ token: 'abc.def' }),
    status: 401,
    error: 'this team token is not valid for this quiz',
  },
  {
    name: 'an overlong token',
    method: 'GET',
    path: '/quizzes/Q/rounds/2/form',
    options: () => ({ token: `${'x'.repeat(2000)}.y` }),
    status: 401,
    error: 'this team token is not valid for this quiz',
  },
  {
    name: "a token of another quiz's team",
    method: 'GET',
    path: '/quizzes/Q/rounds/2/form',
    options: ({ otherQuizToken }) => ({ token: otherQuizToken }),
    status: 401,
    error: 'this team token is not valid for this quiz',
  },

  // Submissions
  {
    name: 'answers without a version',
    method: 'PUT',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({ token: owls, body: { answers: {} } }),
    status: 400,
    error: 'invalid submission',
    details: { version: 'is required: send the version from your form (0 before the first submission)' },
  },
  {
    name: 'answers the round cannot take',
    method: 'PUT',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({ token: owls, body: { version: 0, answers: { '1': 'lots', '7': 3 } } }),
    status: 400,
    error: 'some answers cannot be accepted',
    details: {
      'answers.1': 'must be a number written with digits, like 1989 or 5.25',
      'answers.7': 'round 2 has no question 7',
    },
  },
  {
    name: 'numbers in notations other than decimal digits',
    method: 'PUT',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({ token: owls, body: { version: 0, answers: { '1': '0x7C5', '2': '1,5e3' } } }),
    status: 400,
    error: 'some answers cannot be accepted',
    details: {
      'answers.1': 'must be a number written with digits, like 1989 or 5.25',
      'answers.2': 'must be a number written with digits, like 1989 or 5.25',
    },
  },
  {
    name: 'answers no store can hold exactly',
    method: 'PUT',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({ token: owls, body: { version: 0, answers: { '1': 1e20, '2': 1e-200 } } }),
    status: 400,
    error: 'some answers cannot be accepted',
    details: {
      'answers.1': 'must be at most 9007199254740991 in size',
      'answers.2': 'must be 0 or at least 1e-130 in size',
    },
  },
  {
    name: 'a number typed on the phone form that no store can hold exactly',
    method: 'POST',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({ form: { token: owls, version: '0', q1: '9007199254740993', q2: '1e-200' } }),
    status: 400,
    error:
      /<li>answers.1: must be at most 9007199254740991 in size<\/li><li>answers.2: must be a number written with digits/,
  },
  {
    name: 'a form field sent twice',
    method: 'POST',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({
      raw: `token=${owls}&version=0&q1=1&q1=2`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    status: 400,
    error: 'each form field may be sent only once',
    details: { q1: 'was sent more than once' },
  },
  {
    name: 'a submission of the wrong shape',
    method: 'PUT',
    path: '/quizzes/Q/rounds/2/answers',
    options: ({ owls }) => ({ token: owls, body: { version: -1, answers: { '0': 1, '1': true } } }),
    status: 400,
    error: 'invalid submission',
    details: {
      version: 'must not be negative',
      'answers.0': 'is not a question number (1, 2, …)',
      'answers.1': 'must be text, a number or null',
    },
  },
  {
    name: 'a late submission',
    method: 'PUT',
    path: '/quizzes/Q/rounds/1/answers',
    options: ({ owls }) => ({ token: owls, body: { version: 0, answers: { '1': 1989 } } }),
    status: 409,
    error: 'round 1 is closed: answers are no longer accepted',
  },
  {
    name: 'a late phone form',
    method: 'POST',
    path: '/quizzes/Q/rounds/1/answers',
    options: ({ owls }) => ({ form: { token: owls, version: '0', q1: '1989' } }),
    status: 409,
    error: /round 1 is closed: answers are no longer accepted/,
  },

  // Marking
  {
    name: 'marking an open round',
    method: 'PUT',
    path: '/quizzes/Q/rounds/2/marks',
    options: () => ({ quizmaster: true, body: { marks: [{ teamId: 'x', question: 1, points: 1 }] } }),
    status: 409,
    error: 'round 2 is still open: close it before marking',
  },
  {
    name: 'marks the round cannot take',
    method: 'PUT',
    path: '/quizzes/Q/rounds/1/marks',
    options: () => ({ quizmaster: true, body: { marks: [{ teamId: 'nobody', question: 1, points: 1 }] } }),
    status: 400,
    error: 'some marks cannot be accepted',
    details: { 'marks.0.teamId': 'no team nobody is registered for this quiz' },
  },

  {
    name: 'marks no store can hold exactly',
    method: 'PUT',
    path: '/quizzes/Q/rounds/1/marks',
    options: () => ({ quizmaster: true, body: { marks: [{ teamId: 'x', question: 1, points: 1e-200 }] } }),
    status: 400,
    error: 'invalid marks',
    details: { 'marks.0.points': 'must be 0 or at least 1e-130 in size' },
  },
  {
    name: 'marks of the wrong shape',
    method: 'PUT',
    path: '/quizzes/Q/rounds/1/marks',
    options: () => ({ quizmaster: true, body: { marks: [{ teamId: '', question: 0, points: -1 }] } }),
    status: 400,
    error: 'invalid marks',
    details: {
      'marks.0.teamId': 'must not be empty',
      'marks.0.question': 'must be at least 1',
      'marks.0.points': 'must not be negative',
    },
  },

  // Methods
  {
    name: 'a method a path does not serve',
    method: 'DELETE',
    path: '/quizzes/Q',
    status: 405,
    error: /^DELETE is not allowed on \/quizzes\/\w+; use GET$/,
  },
];

describe.each(storeKinds)('bad requests with the %s store', (kind) => {
  let testStore: TestStore;
  let app: TestApp;
  let quizId: string;
  let ctx: { owls: string; otherQuizToken: string };
  beforeAll(async () => {
    testStore = await startStore(kind);
    app = await startApp({ store: testStore.store });
    quizId = (await app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz })).body.id;
    const otherQuizId = (await app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz })).body.id;
    const owls = (
      await app.call('POST', `/quizzes/${quizId}/teams`, {
        body: { name: 'Owls', contact: 'o@example.com', players: 3 },
      })
    ).body;
    const other = (
      await app.call('POST', `/quizzes/${otherQuizId}/teams`, {
        body: { name: 'Owls', contact: 'o@example.com', players: 3 },
      })
    ).body;
    await app.call('POST', `/quizzes/${quizId}/rounds/1/close`, { quizmaster: true });
    ctx = { owls: owls.token, otherQuizToken: other.token };
  });
  afterAll(async () => {
    await app.close();
    await testStore.close();
  });

  test.each(cases)('$name: $status', async ({ method, path, options, status, error, details }) => {
    const reply = await app.call(method, path.replace('/Q', `/${quizId}`), options?.(ctx));
    expect(reply.status).toBe(status);
    if (typeof reply.body === 'string') {
      expect(reply.body).toMatch(error);
      return;
    }
    expect(reply.body.error).toEqual(typeof error === 'string' ? error : expect.stringMatching(error));
    if (details) expect(reply.body.details).toEqual(details);
  });

  test('a mark worth more than its question: 400', async () => {
    const teamId = (await app.call('GET', `/quizzes/${quizId}/teams`, { quizmaster: true })).body[0].id;
    const reply = await app.call('PUT', `/quizzes/${quizId}/rounds/1/marks`, {
      quizmaster: true,
      body: { marks: [{ teamId, question: 1, points: 3 }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual({ 'marks.0.points': 'question 1 is worth at most 2' });
  });

  test('OPTIONS lists the methods of a path', async () => {
    const reply = await app.call('OPTIONS', `/quizzes/${quizId}/rounds/1/answers`);
    expect(reply.status).toBe(204);
    expect(reply.headers.get('allow')).toBe('PUT, POST, GET, HEAD, OPTIONS');
  });

  test('errors asked for by a browser come as a page', async () => {
    const reply = await app.call('GET', `/quizzes/${quizId}/rounds/2/form?token=wrong`, {
      headers: { accept: 'text/html' },
    });
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('<p class="error">this team token is not valid for this quiz</p>');
  });

  test('the key is compared whole', async () => {
    const reply = await app.call('GET', `/quizzes/${quizId}/teams`, {
      headers: { 'x-quizmaster-key': QUIZMASTER_KEY.slice(0, -1) },
    });
    expect(reply.status).toBe(403);
  });
});
