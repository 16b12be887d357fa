import { describe, expect, it } from '@jest/globals';
import { arnPath, backendPath, parsePath, PathNames, pathParams, resourcePaths } from './routes.js';
import type { Route } from '../config/schema.js';

const route = (path: string): Route => ({
  path,
  methods: ['GET'],
  auth: 'none',
  target: 'service',
  requiredQuery: [],
  requiredHeaders: [],
});

describe('routes', () => {
  it('reads path parameters, greedy or not', () => {
    expect(parsePath('/quizzes/{quizId}/{rest+}')).toEqual([
      { part: 'quizzes', greedy: false },
      { part: '{quizId}', param: 'quizId', greedy: false },
      { part: '{rest+}', param: 'rest', greedy: true },
    ]);
    expect(pathParams('/quizzes/{quizId}/{rest+}')).toEqual(['quizId', 'rest']);
  });

  it('gives the backend the route path, a greedy parameter standing for the rest of it', () => {
    expect(backendPath('/')).toBe('/');
    expect(backendPath('/quizzes/{quizId}')).toBe('/quizzes/{quizId}');
    expect(backendPath('/files/{path+}')).toBe('/files/{path}');
    expect(arnPath('/quizzes/{quizId}/teams')).toBe('/quizzes/*/teams');
  });

  it('lists each resource once, parents before children', () => {
    expect(resourcePaths([route('/b/{id}/c'), route('/a'), route('/b')])).toEqual(['/a', '/b', '/b/{id}', '/b/{id}/c']);
  });

  it('names paths readably and keeps paths that only differ in punctuation apart', () => {
    const names = new PathNames();
    expect(names.name('/')).toBe('Root');
    expect(names.name('/quiz-teams/{teamId}')).toBe('QuizTeamsTeamId');
    const first = names.name('/a-b');
    const second = names.name('/aB');
    expect(first).toBe('AB');
    expect(second).toMatch(/^AB[0-9a-f]{8}$/);
    expect(names.name('/aB')).toBe(second);
  });
});
