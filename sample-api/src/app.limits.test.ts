// The edges of what the API accepts, against each store: whatever it accepts, both stores keep
// exactly as given; whatever they could not keep is refused up front (see app.errors.test.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startApp, type TestApp } from './testing/http.js';
import { fridayQuiz } from './testing/quiz.js';
import { startStore, storeKinds, type TestStore } from './testing/stores.js';

const edgeQuiz = {
  ...fridayQuiz,
  rounds: [
    {
      title: 'Edges',
      questions: [
        { type: 'number', text: 'Largest?', answer: 9007199254740991, tolerance: 1e-130 },
        { type: 'number', text: 'Smallest?', answer: -1e-130 },
        { type: 'number', text: 'Half?', answer: -0.5 },
      ],
    },
  ],
};

describe.each(storeKinds)('the edges with the %s store', (kind) => {
  let testStore: TestStore;
  let app: TestApp;
  let quizId: string;
  beforeAll(async () => {
    testStore = await startStore(kind);
    app = await startApp({ store: testStore.store });
    const created = await app.call('POST', '/quizzes', { quizmaster: true, body: edgeQuiz });
    expect(created.status).toBe(201);
    quizId = created.body.id;
  });
  afterAll(async () => {
    await app.close();
    await testStore.close();
  });

  const register = async (name: string) =>
    app.call('POST', `/quizzes/${quizId}/teams`, { body: { name, contact: 'x@example.com', players: 2 } });

  test('keeps the largest and smallest numbers it accepts, and marks them right', async () => {
    const { token } = (await register('Edge runners')).body;
    const posted = await app.call('POST', `/quizzes/${quizId}/rounds/1/answers`, {
      form: { token, version: '0', q1: '9007199254740991', q3: '-0,5' },
    });
    expect(posted.status).toBe(303);
    const saved = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token,
      body: { version: 1, answers: { '2': -1e-130 } },
    });
    expect(saved.status).toBe(200);
    expect((await app.call('GET', `/quizzes/${quizId}`)).status).toBe(200);
    const answers = await app.call('GET', `/quizzes/${quizId}/rounds/1/answers`, { quizmaster: true });
    expect(answers.body.questions.map((q: { answer: number }) => q.answer)).toEqual([9007199254740991, -1e-130, -0.5]);
    expect(answers.body.questions[0].tolerance).toBe(1e-130);
    expect(answers.body.teams[0].answers.map((a: { answer: number; points: number }) => [a.answer, a.points])).toEqual([
      [9007199254740991, 1],
      [-1e-130, 1],
      [-0.5, 1],
    ]);
  });

  test('takes names in any script, with emoji joined by zero-width joiners, and keeps them as typed', async () => {
    for (const name of ['👩‍👩‍👧 Quizzers', 'ﷺ'.repeat(30), 'Ἀθῆναι', 'ㅤ한글']) {
      const reply = await register(name);
      expect([name, reply.status]).toEqual([name, 201]);
      expect(reply.body.name).toBe(name);
    }
    const teams = await app.call('GET', `/quizzes/${quizId}/teams`, { quizmaster: true });
    expect(teams.body.map((team: { name: string }) => team.name)).toContain('👩‍👩‍👧 Quizzers');
  });

  test('a stale correction is answered 409 with the answers the teammate saved', async () => {
    const { token } = (await register('Stale Owls')).body;
    await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, { token, body: { version: 0, answers: { '3': 1 } } });
    const stale = await app.call('PUT', `/quizzes/${quizId}/rounds/1/answers`, {
      token,
      body: { version: 0, answers: { '3': 2 } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      error: 'your team changed these answers meanwhile (now version 1): load the form again and resubmit',
      current: { version: 1, status: 'open', team: { name: 'Stale Owls' } },
    });
    expect(stale.body.current.questions.map((q: { answer: unknown }) => q.answer)).toEqual([null, null, 1]);
  });
});
