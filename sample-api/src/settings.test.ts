import { describe, expect, test } from '@jest/globals';
import { readSettings } from './settings.js';

describe('readSettings', () => {
  test('runs locally with nothing set: memory store on 8080 and a key made up for the run', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({
      port: 8080,
      store: 'memory',
      generatedKey: true,
      logLevel: 'info',
      bodyLimit: '64kb',
      shutdownGraceSeconds: 25,
      storeTimeoutMs: 3000,
      healthTimeoutMs: 2000,
    });
    expect(settings.quizmasterKey.length).toBeGreaterThanOrEqual(16);
  });

  test('uses DynamoDB when the deployment gives it a table', () => {
    expect(readSettings({ TABLE_NAME: 'pubquiz-prod', QUIZMASTER_KEY: 'k'.repeat(16), PORT: '3000' })).toMatchObject({
      port: 3000,
      store: 'dynamodb',
      tableName: 'pubquiz-prod',
      quizmasterKey: 'k'.repeat(16),
      generatedKey: false,
    });
  });

  test('names every problem at once', () => {
    expect(() => readSettings({ STORE: 'dynamodb', PORT: '80a', LOG_LEVEL: 'loud', QUIZMASTER_KEY: 'short' })).toThrow(
      'invalid settings:\n' +
        '- TABLE_NAME is required when STORE is dynamodb\n' +
        '- QUIZMASTER_KEY must be at least 16 characters\n' +
        '- LOG_LEVEL must be debug, info, warn or error, not "loud"\n' +
        '- PORT must be a whole number from 0 to 65535, not "80a"',
    );
    expect(() => readSettings({ TABLE_NAME: 't' })).toThrow('QUIZMASTER_KEY is required when STORE is dynamodb');
    expect(() => readSettings({ STORE_TIMEOUT_MS: '0', HEALTH_TIMEOUT_MS: 'soon' })).toThrow(
      'invalid settings:\n' +
        '- STORE_TIMEOUT_MS must be a whole number from 100 to 60000, not "0"\n' +
        '- HEALTH_TIMEOUT_MS must be a whole number from 100 to 60000, not "soon"',
    );
  });
});
