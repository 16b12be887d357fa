// A whole quiz night over HTTP, against each store: create, register, answer (JSON and the phone
// form), correct, close, mark, scoreboard; and fifty teams submitting at once.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApp, type TestApp } from './testing/http.js';
import { fridayQuiz } from './testing/quiz.js';
import { startStore, storeKinds, type TestStore } from './testing/stores.js';

describe.each(storeKinds)('a quiz night with the %s store', (kind) => {
  let testStore: TestStore;
  let app: TestApp;
  beforeAll(async () => {
    testStore = await startStore(kind);
    app = await startApp({ store: testStore.store });
  });
  afterAll(async () => {
    await app.close();
    await testStore.close();
  });

  const register = async (quizId: string, name: string) => {
    const reply = await app.call('POST', `/quizzes/${quizId}/teams`, {
      body: { name, contact: `${name}@example.com`, players: 4 },
    });
    expect(reply.status).toBe(201);
    return reply.body as { teamId: string; token: string };
  };

  test('runs from creating the quiz to the final scoreboard', async () => {
    const created = await app.call('POST', '/quizzes', { body: fridayQuiz, quizmaster: true });
    expect(created.status).toBe(201);
    const quizId: string = created.body.id;
    expect(created.headers.get('location')).toBe(`quizzes/${quizId}`);

    const summary = await app.call('GET', `/quizzes/${quizId}`);
    expect(summary.body).toEqual({
      id: quizId,
      title: 'Friday at the Crown',
      date: '2026-11-27',
      rounds: [
        { round: 1, title: 'General knowledge', questions: 3, status: 'open' },
        { round: 2, title: 'Nature', questions: 2, status: 'open' },
      ],
    });

    const [owls, foxes, badgers] = [
      await register(quizId, 'Owls'),
      await register(quizId, 'Foxes'),
      await register(quizId, 'Badgers'),
    ];

    // The Owls answer through the JSON API and correct one answer.
    const blank = await app.call('GET', `/quizzes/${quizId}/rounds/1/form`, { token: owls.token });
    expect(blank.body).toMatchObject({ round: 1, status: 'open', version: 0, team: { name: 'Owls' } });
    expect(blank.body.questions[1]).toEqual({
      number: 2,
      text: 'Which is the largest planet?',
      type: 'choice',
      points: 1,
      choices: ['Mars', 'Jupiter', 'Venus'],
      answer: null,
    });
    expect(JSON.stringify(blank.body)).not.toContain('Bram Stoker');
    const first = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token: owls.token,
      body: { version: 0, answers: { '1': 1989, '2': 'Jupiter', '3': 'Stoker?' } },
    });
    expect(first.status).toBe(200);
    const corrected = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token: owls.token,
      body: { version: 1, answers: { '3': 'Bram Stoker' } },
    });
    expect(corrected.body.version).toBe(2);
    expect(corrected.body.questions.map((q: { answer: unknown }) => q.answer)).toEqual([
      1989,
      'Jupiter',
      'Bram Stoker',
    ]);

    // The Foxes use the phone form: HTML in, form fields out, redirected back to a saved form.
    const page = await app.call('GET', `/quizzes/${quizId}/rounds/1/form?token=${foxes.token}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('<form method="post" action="answers">');
    expect(page.body).toContain('name="q2" value="Jupiter"');
    const posted = await app.call('POST', `/quizzes/${quizId}/rounds/1/answers`, {
      form: { token: foxes.token, version: '0', q1: '1990', q2: 'Mars', q3: 'Mary Shelley' },
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`form?token=${encodeURIComponent(foxes.token)}&saved=1`);
    const saved = await app.call('GET', `/quizzes/${quizId}/rounds/1/form?token=${foxes.token}&saved=1`, {
      headers: { accept: 'text/html' },
    });
    expect(saved.body).toContain('Answers saved');
    expect(saved.body).toContain('value="1990"');
    expect(saved.body).toContain('value="Mars" checked');

    // The Badgers answer two of three; a corrected answer cannot be corrected from a stale version.
    await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token: badgers.token,
      body: { version: 0, answers: { '1': '1989', '2': 'Venus' } },
    });
    const stale = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token: owls.token,
      body: { version: 1, answers: { '3': 'Mary Shelley' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatch(/changed these answers meanwhile \(now version 2\)/);

    const closed = await app.call('POST', `/quizzes/${quizId}/rounds/1/close`, { quizmaster: true });
    expect(closed.body).toMatchObject({ round: 1, status: 'closed', teams: 3 });
    const late = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token: badgers.token,
      body: { version: 1, answers: { '3': 'Bram Stoker' } },
    });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('round 1 is closed: answers are no longer accepted');

    // Numbers and choices are marked already; the text answers wait for the quizmaster.
    const toMark = await app.call('GET', `/quizzes/${quizId}/rounds/1/answers`, { quizmaster: true });
    const owlsAnswers = toMark.body.teams.find((t: { name: string }) => t.name === 'Owls').answers;
    expect(owlsAnswers).toEqual([
      { question: 1, answer: 1989, points: 2, markedBy: 'auto' },
      { question: 2, answer: 'Jupiter', points: 1, markedBy: 'auto' },
      { question: 3, answer: 'Bram Stoker', points: null, markedBy: 'pending' },
    ]);
    const pendingBoard = await app.call('GET', `/quizzes/${quizId}/scoreboard`);
    expect(pendingBoard.body.standings[0]).toMatchObject({
      name: 'Owls',
      total: 3,
      rounds: [{ round: 1, points: 3, pending: 1 }],
    });

    const marked = await app.call('PUT', `/quizzes/${quizId}/rounds/1/marks`, {
      quizmaster: true,
      body: {
        marks: [
          { teamId: owls.teamId, question: 3, points: 1 },
          { teamId: foxes.teamId, question: 3, points: 0 },
        ],
      },
    });
    expect(marked.body).toEqual({ round: 1, marked: 2 });

    const board = await app.call('GET', `/quizzes/${quizId}/scoreboard`);
    expect(board.body.rounds).toEqual([
      { round: 1, title: 'General knowledge', status: 'closed' },
      { round: 2, title: 'Nature', status: 'open' },
    ]);
    expect(
      board.body.standings.map((s: { rank: number; name: string; total: number }) => [s.rank, s.name, s.total]),
    ).toEqual([
      [1, 'Owls', 4],
      [2, 'Badgers', 2],
      [3, 'Foxes', 0],
    ]);
    const boardPage = await app.call('GET', `/quizzes/${quizId}/scoreboard`, { headers: { accept: 'text/html' } });
    expect(boardPage.body).toMatch(/<td>1<\/td><td>Owls<\/td><td>4<\/td><td><b>4<\/b>/);

    // After the close a team sees what each answer scored.
    const results = await app.call('GET', `/quizzes/${quizId}/rounds/1/form`, { token: foxes.token });
    expect(results.body.questions.map((q: { marked: number }) => q.marked)).toEqual([0, 0, 0]);
  });

  test("the phone form keeps what a team typed when an answer is refused, and shows a teammate's newer answers", async () => {
    const quizId = (await app.call('POST', '/quizzes', { body: fridayQuiz, quizmaster: true })).body.id;
    const { token } = await register(quizId, 'Otters');
    const refused = await app.call('POST', `/quizzes/${quizId}/rounds/1/answers`, {
      form: { token, version: '0', q1: 'nineteen eighty-nine', q2: '', q3: 'Bram Stoker' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('<li>answers.1: must be a number written with digits, like 1989 or 5.25</li>');
    expect(refused.body).toContain('value="nineteen eighty-nine"');
    expect(refused.body).toContain('value="Bram Stoker"');

    await app.call('POST', `/quizzes/${quizId}/rounds/1/answers`, {
      form: { token, version: '0', q1: '1989', q3: 'Stoker' },
    });
    const fromSecondPhone = await app.call('POST', `/quizzes/${quizId}/rounds/1/answers`, {
      form: { token, version: '0', q1: '1990' },
    });
    expect(fromSecondPhone.status).toBe(409);
    expect(fromSecondPhone.body).toContain('your team changed these answers meanwhile (now version 1)');
    expect(fromSecondPhone.body).toContain('value="1989"');
    expect(fromSecondPhone.body).toContain('name="version" value="1"');
  });

  test('a submission that crosses the close is told the round closed, even from a stale form', async () => {
    const quizId = (await app.call('POST', '/quizzes', { body: fridayQuiz, quizmaster: true })).body.id;
    const { teamId, token } = await register(quizId, 'Stoats');
    await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token,
      body: { version: 0, answers: { '1': 1989 } },
    });
    // What a close does between this submission reading the quiz (open) and reading the sheet.
    await testStore.store.sealSheet(quizId, 1, teamId, new Date().toISOString());
    const crossed = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token,
      body: { version: 0, answers: { '1': 1990 } },
    });
    expect(crossed).toMatchObject({
      status: 409,
      body: { error: 'round 1 is closed: answers are no longer accepted' },
    });
  });

  test('takes fifty teams submitting at once, losing and overwriting nothing', async () => {
    const quizId = (await app.call('POST', '/quizzes', { body: fridayQuiz, quizmaster: true })).body.id;
    const teams = await Promise.all(Array.from({ length: 50 }, (_, i) => register(quizId, `Team ${i}`)));
    const replies = await Promise.all(
      teams.map((team, i) =>
        app.call('PUT', `/quizzes/${quizId}/rounds/2/answers`, {
          token: team.token,
          body: { version: 0, answers: { '1': i, '2': 5 + i / 100 } },
        }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(teams.map(() => 200));

    // Two phones of one team correcting the same version: one lands, the other is told.
    const race = await Promise.all(
      ['7', '9'].map((legs) =>
        app.call('PUT', `/quizzes/${quizId}/rounds/2/answers`, {
          token: teams[0].token,
          body: { version: 1, answers: { '1': legs } },
        }),
      ),
    );
    expect(race.map((reply) => reply.status).sort()).toEqual([200, 409]);

    await app.call('POST', `/quizzes/${quizId}/rounds/2/close`, { quizmaster: true });
    const answers = await app.call('GET', `/quizzes/${quizId}/rounds/2/answers`, { quizmaster: true });
    const byName = new Map(
      answers.body.teams.map((t: { name: string; answers: { answer: unknown }[] }) => [
        t.name,
        t.answers.map((a) => a.answer),
      ]),
    );
    const winner = race.find((reply) => reply.status === 200)!.body.questions[0].answer;
    expect(byName.get('Team 0')).toEqual([winner, 5]);
    for (let i = 1; i < 50; i++) expect(byName.get(`Team ${i}`)).toEqual([i, 5 + i / 100]);
    const board = await app.call('GET', `/quizzes/${quizId}/scoreboard`);
    expect(board.body.standings).toHaveLength(50);
    // Every giraffe from 5.00 to 5.49 m is within half a metre; only Team 8 also knew the spider.
    expect(board.body.standings[0]).toMatchObject({ rank: 1, name: 'Team 8', total: 2 });
    expect(
      board.body.standings.slice(1).every((s: { rank: number; total: number }) => s.rank === 2 && s.total === 1),
    ).toBe(true);
  });
});
