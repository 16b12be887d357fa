// Registration is safe to retry with an Idempotency-Key: a team whose reply was lost sends the
// same request again and gets the same team and token. Against each store.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startApp, type TestApp } from './testing/http.js';
import { fridayQuiz } from './testing/quiz.js';
import { startStore, storeKinds, type TestStore } from './testing/stores.js';

describe.each(storeKinds)('registering with the %s store', (kind) => {
  let testStore: TestStore;
  let app: TestApp;
  let quizId: string;
  beforeAll(async () => {
    testStore = await startStore(kind);
    app = await startApp({ store: testStore.store });
    quizId = (await app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz })).body.id;
  });
  afterAll(async () => {
    await app.close();
    await testStore.close();
  });

  const register = (name: string, key?: string, players = 4, quiz = quizId) =>
    app.call('POST', `/quizzes/${quiz}/teams`, {
      body: { name, contact: 'team@example.com', players },
      headers: key ? { 'idempotency-key': key } : {},
    });

  test('a retry with the same key gets the same team and a token that works', async () => {
    const key = randomUUID();
    const first = await register('Owls', key);
    expect(first.status).toBe(201);
    // The first reply was lost; the phone sends the same request again, twice at once.
    const retries = await Promise.all([register('Owls', key), register('Owls', key)]);
    for (const retry of retries) expect(retry).toMatchObject({ status: 201, body: first.body });
    const form = await app.call('GET', `/quizzes/${quizId}/rounds/1/form`, { token: first.body.token });
    expect(form).toMatchObject({ status: 200, body: { team: { id: first.body.teamId, name: 'Owls' } } });
    const teams = await app.call('GET', `/quizzes/${quizId}/teams`, { quizmaster: true });
    expect(teams.body.filter((team: { name: string }) => team.name === 'Owls')).toHaveLength(1);
  });

  test('without a key, a repeat is told the name is taken; with another key, too', async () => {
    expect((await register('Foxes')).status).toBe(201);
    expect(await register('Foxes')).toMatchObject({
      status: 409,
      body: { error: 'a team called "Foxes" is already registered for this quiz' },
    });
    expect((await register('foxes', randomUUID())).status).toBe(409);
  });

  test('a key used again for other details is refused, and the other name stays free', async () => {
    const key = randomUUID();
    expect((await register('Badgers', key)).status).toBe(201);
    expect(await register('Stoats', key)).toMatchObject({
      status: 422,
      body: { error: expect.stringMatching(/^this Idempotency-Key was already used for a registration with other/) },
    });
    expect((await register('Badgers', key, 5)).status).toBe(422);
    expect((await register('Stoats')).status).toBe(201);
  });

  test('one key makes a different team in another quiz', async () => {
    const otherQuiz = (await app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz })).body.id;
    const key = randomUUID();
    const here = await register('Otters', key);
    const there = await register('Otters', key, 4, otherQuiz);
    expect([here.status, there.status]).toEqual([201, 201]);
    expect(there.body.teamId).not.toBe(here.body.teamId);
    expect(there.body.token).not.toBe(here.body.token);
  });

  test('a key too short to be unguessable is refused with every other problem', async () => {
    const reply = await app.call('POST', `/quizzes/${quizId}/teams`, {
      body: { name: 'Moles', contact: 'm', players: 0 },
      headers: { 'idempotency-key': 'retry-1' },
    });
    expect(reply).toMatchObject({
      status: 400,
      body: {
        error: 'invalid registration',
        details: {
          players: 'must be at least 1',
          'Idempotency-Key': 'must be 16 to 255 visible ASCII characters, such as a UUID',
        },
      },
    });
  });
});
