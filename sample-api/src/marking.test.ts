import { describe, expect, test } from '@jest/globals';
import { markSheet, readAnswer, scoreboard } from './marking.js';
import type { AnswerSheet, Question, Quiz, Team } from './model.js';

const number: Question = { type: 'number', text: 'Giraffe height in m?', points: 2, answer: 5.5, tolerance: 0.5 };
const choice: Question = {
  type: 'choice',
  text: 'Largest planet?',
  points: 1,
  choices: ['Mars', 'Jupiter'],
  answer: 'Jupiter',
};
const text: Question = { type: 'text', text: 'Who wrote Dracula?', points: 1, answer: 'Bram Stoker' };

describe('readAnswer', () => {
  test.each([
    [number, '6', { answer: 6 }],
    [number, ' 5,25 ', { answer: 5.25 }],
    [number, 'tall', { error: 'must be a number written with digits, like 1989 or 5.25' }],
    [number, '-0,5', { answer: -0.5 }],
    [number, '.5', { answer: 0.5 }],
    [number, '9007199254740991', { answer: 9007199254740991 }],
    [number, '9007199254740993', { error: 'must be at most 9007199254740991 in size' }],
    [number, '0x7C5', { error: 'must be a number written with digits, like 1989 or 5.25' }],
    [number, '1,5e3', { error: 'must be a number written with digits, like 1989 or 5.25' }],
    [number, '1 000', { error: 'must be a number written with digits, like 1989 or 5.25' }],
    [number, 'Infinity', { error: 'must be a number written with digits, like 1989 or 5.25' }],
    [number, `0.${'0'.repeat(130)}1`, { error: 'must be 0 or at least 1e-130 in size' }],
    [number, 1e-130, { answer: 1e-130 }],
    [number, 6.02214076e23, { error: 'must be at most 9007199254740991 in size' }],
    [choice, 'Jupiter', { answer: 'Jupiter' }],
    [choice, 'jupiter', { error: 'must be one of: Mars, Jupiter' }],
    [text, '  Stoker ', { answer: 'Stoker' }],
    [text, 42, { error: 'must be text' }],
    [text, '   ', { answer: null }],
    [choice, null, { answer: null }],
  ] as const)('%o reads %p as %o', (question, value, expected) => {
    expect(readAnswer(question, value)).toEqual(expected);
  });
});

const sheet = (
  teamId: string,
  round: number,
  answers: AnswerSheet['answers'],
  marks: AnswerSheet['marks'] = {},
): AnswerSheet => ({
  quizId: 'q',
  round,
  teamId,
  answers,
  marks,
  version: 1,
  updatedAt: '',
  sealed: true,
});

describe('markSheet', () => {
  test('marks numbers within tolerance and choices exactly, leaves text for the quizmaster', () => {
    expect(
      markSheet([number, choice, text], sheet('t', 1, { '1': 6, '2': 'Mars', '3': 'Stoker' })).map((m) => [
        m.points,
        m.markedBy,
      ]),
    ).toEqual([
      [2, 'auto'],
      [0, 'auto'],
      [null, 'pending'],
    ]);
    expect(markSheet([number], sheet('t', 1, { '1': 6.01 }))[0].points).toBe(0);
  });

  test('counts an answer exactly at the tolerance as right, whatever the floating point says', () => {
    const decimals: Question = { type: 'number', text: 'pH of lemon juice?', points: 1, answer: 2.3, tolerance: 0.2 };
    const year: Question = { type: 'number', text: 'When?', points: 1, answer: 1989.5, tolerance: 0.2 };
    const marked = (question: Question, answer: number) =>
      markSheet([question], sheet('t', 1, { '1': answer }))[0].points;
    expect([
      marked(decimals, 2.5),
      marked(decimals, 2.1),
      marked(decimals, 2.51),
      marked(year, 1989.3),
      marked(year, 1989.29),
    ]).toEqual([1, 1, 0, 1, 0]);
  });

  test('lets hand marks override, and scores nothing for no answer or no sheet', () => {
    expect(
      markSheet([number, text], sheet('t', 1, { '1': 7, '2': 'Stoker' }, { '1': 1, '2': 0.5 })).map((m) => m.points),
    ).toEqual([1, 0.5]);
    expect(markSheet([text], undefined)).toEqual([{ question: 1, answer: null, points: 0, markedBy: 'auto' }]);
  });
});

describe('scoreboard', () => {
  const quiz: Quiz = {
    id: 'q',
    title: 'T',
    date: '2026-11-27',
    createdAt: '',
    rounds: [
      { title: 'One', questions: [number, text] },
      { title: 'Two', questions: [choice] },
    ],
    closedRounds: { '1': '2026-11-27T20:00:00Z' },
  };
  const team = (id: string, name: string): Team => ({
    quizId: 'q',
    id,
    name,
    contact: '',
    players: 2,
    tokenHash: '',
    registeredAt: '',
  });

  test('adds up closed rounds only, ranks ties together and counts what is still to mark', () => {
    const board = scoreboard(
      quiz,
      [team('a', 'Ants'), team('b', 'Bees'), team('c', 'Cats')],
      [
        sheet('a', 1, { '1': 5, '2': 'x' }, { '2': 0.1 }),
        sheet('b', 1, { '1': 5.2, '2': 'y' }, { '2': 0.2 }),
        sheet('c', 1, { '1': 9, '2': 'z' }),
        sheet('c', 2, { '1': 'Jupiter' }),
      ],
    );
    expect(board.rounds.map((r) => r.status)).toEqual(['closed', 'open']);
    expect(board.standings).toEqual([
      { rank: 1, teamId: 'b', name: 'Bees', total: 2.2, rounds: [{ round: 1, points: 2.2, pending: 0 }] },
      { rank: 2, teamId: 'a', name: 'Ants', total: 2.1, rounds: [{ round: 1, points: 2.1, pending: 0 }] },
      { rank: 3, teamId: 'c', name: 'Cats', total: 0, rounds: [{ round: 1, points: 0, pending: 1 }] },
    ]);
    const tied = scoreboard(
      quiz,
      [team('b', 'Bees'), team('a', 'Ants')],
      [sheet('a', 1, { '1': 5 }), sheet('b', 1, { '1': 6 })],
    );
    expect(tied.standings.map((s) => [s.rank, s.name])).toEqual([
      [1, 'Ants'],
      [1, 'Bees'],
    ]);
  });
});
