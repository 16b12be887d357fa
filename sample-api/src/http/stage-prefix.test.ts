import { afterEach, describe, expect, test } from '@jest/globals';
import { readSettings } from '../settings.js';
import { MemoryStore } from '../store/memory.js';
import { startApp, type TestApp } from '../testing/http.js';
import { fridayQuiz } from '../testing/quiz.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('the stage prefix API Gateway may put in front of a path', () => {
  test('is removed when a request carries it, and a request without it is routed as it is', async () => {
    app = await startApp({ store: new MemoryStore(), stagePrefix: '/prod' });
    expect((await app.call('GET', '/prod/health')).status).toBe(200);
    expect((await app.call('GET', '/prod/health?probe=1')).status).toBe(200);
    expect((await app.call('GET', '/health')).status).toBe(200);
    const created = await app.call('POST', '/prod/quizzes', { quizmaster: true, body: fridayQuiz });
    expect(created.status).toBe(201);
    const quizId = (created.body as { id: string }).id;
    expect((await app.call('GET', `/prod/quizzes/${quizId}`)).body).toMatchObject({ id: quizId });
    expect((await app.call('GET', `/quizzes/${quizId}?view=json`)).status).toBe(200);
  });

  test('is removed only as a whole segment', async () => {
    app = await startApp({ store: new MemoryStore(), stagePrefix: '/prod' });
    expect((await app.call('GET', '/production/health')).status).toBe(404);
    expect((await app.call('GET', '/prodhealth')).status).toBe(404);
  });

  test('is kept, and so not found, when the app is not told the prefix', async () => {
    app = await startApp({ store: new MemoryStore() });
    expect((await app.call('GET', '/prod/health')).status).toBe(404);
    expect((await app.call('GET', '/health')).status).toBe(200);
  });

  test('comes from API_STAGE_PREFIX, and a value that is not one path segment is refused by name', () => {
    expect(readSettings({ API_STAGE_PREFIX: '/prod' }).stagePrefix).toBe('/prod');
    expect(readSettings({ API_STAGE_PREFIX: '' }).stagePrefix).toBeUndefined();
    expect(readSettings({}).stagePrefix).toBeUndefined();
    expect(() => readSettings({ API_STAGE_PREFIX: 'prod/' })).toThrow(/API_STAGE_PREFIX must be \/ and the stage name/);
  });
});
