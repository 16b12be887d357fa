// A store that is down or silent costs a caller a quick 503 with Retry-After, never a 500 or a
// hung request. Against each store: memory (made to hang), and DynamoDB at an endpoint that
// accepts connections and never answers, or that is gone.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { QuizStore } from './store/store.js';
import { StoreUnavailable } from './store/unavailable.js';
import { startApp, type TestApp } from './testing/http.js';
import { fridayQuiz } from './testing/quiz.js';
import { startDynalite, startHeldStore, storeKinds, type TestStore } from './testing/stores.js';

const unavailable = {
  status: 503,
  body: { error: 'the quiz store is not answering: try again in a few seconds' },
};

describe.each(storeKinds)('a %s store that accepts and never answers', (kind) => {
  let app: TestApp;
  let held: TestStore;
  let store: QuizStore;
  beforeAll(async () => {
    held = await startHeldStore(kind, 300);
    store = held.store;
    app = await startApp({ store, storeTimeoutMs: 500, healthTimeoutMs: 200 });
  });
  afterAll(async () => {
    await app.close();
    await held.close();
  });

  test('/health answers 503 within its deadline', async () => {
    const reply = await app.call('GET', '/health');
    expect(reply).toMatchObject({ status: 503, body: { status: 'unavailable' } });
    expect(reply.headers.get('retry-after')).toBe('5');
  });

  test('every kind of request answers 503 with Retry-After', async () => {
    const replies = await Promise.all([
      app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz }),
      app.call('GET', '/quizzes/abcdefghij'),
      app.call('POST', '/quizzes/abcdefghij/teams', { body: { name: 'Owls', contact: 'o', players: 2 } }),
      app.call('PUT', '/quizzes/abcdefghij/rounds/1/answers', { token: 'abcdefghij.x', body: {} }),
      app.call('GET', '/quizzes/abcdefghij/scoreboard'),
    ]);
    for (const reply of replies) {
      expect(reply).toMatchObject(unavailable);
      expect(reply.headers.get('retry-after')).toBe('5');
    }
    const page = await app.call('GET', '/quizzes/abcdefghij/scoreboard', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(page.body).toContain('the quiz store is not answering');
  });

  if (kind === 'dynamodb')
    test('the DynamoDB store aborts its own calls at their deadline', async () => {
      await expect(store.getQuiz('abcdefghij')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.ping()).rejects.toThrow(/the DynamoDB table cannot be reached/);
    });
});

describe('a DynamoDB store that is gone', () => {
  let app: TestApp;
  afterEach(() => app.close());

  test('answers 503, never 500, and /health fails', async () => {
    const dynamodb = await startDynalite();
    app = await startApp({ store: dynamodb.store });
    const created = await app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz });
    expect(created.status).toBe(201);
    await dynamodb.close();
    for (const reply of [
      await app.call('GET', `/quizzes/${created.body.id}`),
      await app.call('POST', `/quizzes/${created.body.id}/teams`, { body: { name: 'A', contact: 'a', players: 1 } }),
      await app.call('POST', '/quizzes', { quizmaster: true, body: fridayQuiz }),
    ]) {
      expect(reply).toMatchObject(unavailable);
      expect(reply.headers.get('retry-after')).toBe('5');
    }
    expect(await app.call('GET', '/health')).toMatchObject({ status: 503 });
  });
});
