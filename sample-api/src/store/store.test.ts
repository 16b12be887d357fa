// The contract both stores keep, run against each: memory, and DynamoDB on dynalite.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AnswerSheet, Quiz, Team } from '../model.js';
import { startStore, storeKinds, type TestStore } from '../testing/stores.js';
import { Conflict, type QuizStore } from './store.js';

const at = '2026-11-27T20:00:00.000Z';

function quiz(): Quiz {
  const question = { type: 'number' as const, text: 'How many?', points: 1, answer: 7, tolerance: 0 };
  return {
    id: randomUUID(),
    title: 'Friday',
    date: '2026-11-27',
    rounds: [{ title: 'R1', questions: [question] }],
    createdAt: at,
    closedRounds: {},
  };
}

function team(quizId: string, name: string): Team {
  return { quizId, id: randomUUID(), name, contact: 'a@b.c', players: 4, tokenHash: randomUUID(), registeredAt: at };
}

function sheet(quizId: string, teamId: string, version: number, answer: string): AnswerSheet {
  return { quizId, round: 1, teamId, answers: { '1': answer }, version, updatedAt: at, sealed: false, marks: {} };
}

const refused = (reason: string) => expect.objectContaining({ name: 'Conflict', reason });

describe.each(storeKinds)('%s store', (kind) => {
  let testStore: TestStore;
  let store: QuizStore;
  beforeAll(async () => {
    testStore = await startStore(kind);
    store = testStore.store;
  });
  afterAll(() => testStore.close());

  test('keeps a quiz and records the first close of a round', async () => {
    const q = quiz();
    await store.createQuiz(q);
    await store.closeRound(q.id, 1, at);
    await store.closeRound(q.id, 1, '2026-11-27T23:00:00.000Z');
    expect(await store.getQuiz(q.id)).toEqual({ ...q, closedRounds: { '1': at } });
    expect(await store.getQuiz(randomUUID())).toBeUndefined();
  });

  test('refuses a second team of the same name, whatever its case and spacing', async () => {
    const q = quiz();
    await store.createQuiz(q);
    const owls = team(q.id, 'The Owls');
    await store.addTeam(owls);
    await expect(store.addTeam(team(q.id, '  the   OWLS '))).rejects.toEqual(refused('team-name-taken'));
    expect(await store.listTeams(q.id)).toEqual([owls]);
    expect(await store.getTeam(q.id, owls.id)).toEqual(owls);
  });

  test('refuses a quiz or team whose id is taken, keeping the first', async () => {
    const q = quiz();
    await store.createQuiz(q);
    const owls = team(q.id, 'Owls');
    await store.addTeam(owls);
    await expect(store.createQuiz({ ...quiz(), id: q.id })).rejects.toEqual(refused('id-taken'));
    await expect(store.addTeam({ ...team(q.id, 'Foxes'), id: owls.id })).rejects.toEqual(refused('id-taken'));
    expect(await store.getQuiz(q.id)).toEqual(q);
    expect(await store.listTeams(q.id)).toEqual([owls]);
    // The refused team's name stays free.
    await store.addTeam(team(q.id, 'Foxes'));
  });

  test('adding the same team again gives the one stored first; other details under its id are refused', async () => {
    const q = quiz();
    await store.createQuiz(q);
    const owls = team(q.id, 'Owls');
    expect(await store.addTeam(owls)).toEqual(owls);
    const retried = await Promise.all([1, 2, 3].map(() => store.addTeam({ ...owls, registeredAt: 'later' })));
    expect(retried).toEqual([owls, owls, owls]);
    await expect(store.addTeam({ ...owls, name: 'Foxes' })).rejects.toEqual(refused('other-registration'));
    await expect(store.addTeam({ ...owls, players: 5 })).rejects.toEqual(refused('other-registration'));
    expect(await store.listTeams(q.id)).toEqual([owls]);
    // The name the refused retry asked for stays free; the team's own name stays taken.
    await store.addTeam(team(q.id, 'Foxes'));
    await expect(store.addTeam(team(q.id, 'owls'))).rejects.toEqual(refused('team-name-taken'));
  });

  test('stores a sheet only over the version it corrects', async () => {
    const q = quiz();
    await store.createQuiz(q);
    await store.putSheet(sheet(q.id, 't1', 1, 'first'));
    await expect(store.putSheet(sheet(q.id, 't1', 1, 'lost race'))).rejects.toEqual(refused('stale-version'));
    await expect(store.putSheet(sheet(q.id, 't1', 3, 'skipped one'))).rejects.toEqual(refused('stale-version'));
    await store.putSheet(sheet(q.id, 't1', 2, 'corrected'));
    expect(await store.getSheet(q.id, 1, 't1')).toMatchObject({ answers: { '1': 'corrected' }, version: 2 });
  });

  test('a sealed sheet takes no more answers but takes marks, one question at a time', async () => {
    const q = quiz();
    await store.createQuiz(q);
    await store.putSheet(sheet(q.id, 't1', 1, 'in time'));
    await expect(store.setMarks(q.id, 1, 't1', { '1': 1 })).rejects.toEqual(refused('not-sealed'));
    await store.sealSheet(q.id, 1, 't1', at);
    await store.sealSheet(q.id, 1, 'silent-team', at);
    await expect(store.putSheet(sheet(q.id, 't1', 2, 'too late'))).rejects.toEqual(refused('sealed'));
    await expect(store.putSheet(sheet(q.id, 'silent-team', 1, 'too late'))).rejects.toEqual(refused('sealed'));
    await store.setMarks(q.id, 1, 't1', { '1': 1, '2': 0.5 });
    await store.setMarks(q.id, 1, 't1', { '2': 1 });
    const sheets = await store.listSheets(q.id);
    expect(sheets.find((s) => s.teamId === 't1')).toMatchObject({
      answers: { '1': 'in time' },
      sealed: true,
      marks: { '1': 1, '2': 1 },
    });
    expect(sheets.find((s) => s.teamId === 'silent-team')).toMatchObject({ answers: {}, version: 0, sealed: true });
  });

  test('of fifty teams writing at once, every sheet lands; of two writes to one version, one does', async () => {
    const q = quiz();
    await store.createQuiz(q);
    const teams = Array.from({ length: 50 }, (_, i) => `team-${i}`);
    await Promise.all(teams.map((t) => store.putSheet(sheet(q.id, t, 1, `answer of ${t}`))));
    const results = await Promise.allSettled(
      teams.map((_, i) => store.putSheet(sheet(q.id, 'team-0', 2, `correction ${i}`))),
    );
    const sheets = await store.listSheets(q.id);
    expect(sheets).toHaveLength(50);
    for (const t of teams.slice(1))
      expect(sheets.find((s) => s.teamId === t)?.answers).toEqual({ '1': `answer of ${t}` });
    const landed = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(landed).toHaveLength(1);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof Conflict),
    ).toBe(true);
    expect(sheets.find((s) => s.teamId === 'team-0')?.answers).toEqual({ '1': `correction ${landed[0]}` });
  });

  test('answers ping while it can be reached', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
