// Pure rules of the night: what counts as an answer, how answers are marked, how the scoreboard
// is added up. No I/O here, so every rule is tested on plain values.
import type { Answer, AnswerSheet, Question, Quiz, Team } from './model.js';
import { readDecimal, storableNumberProblem } from './numbers.js';

/** A submitted value read for its question: an answer, null (cleared), or what is wrong with it. */
export function readAnswer(
  question: Question,
  value: string | number | null,
): { answer: Answer | null } | { error: string } {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return { answer: null };
  switch (question.type) {
    case 'text':
      if (typeof value !== 'string') return { error: 'must be text' };
      return value.trim().length > 200 ? { error: 'must be at most 200 characters' } : { answer: value.trim() };
    case 'number': {
      // Forms send numbers as text; accept "1,5" as well as "1.5" since phones offer either.
      if (typeof value === 'string') {
        const read = readDecimal(value);
        return typeof read === 'number' ? { answer: read } : read;
      }
      const problem = storableNumberProblem(value);
      return problem ? { error: problem } : { answer: value };
    }
    case 'choice':
      return typeof value === 'string' && question.choices.includes(value)
        ? { answer: value }
        : { error: `must be one of: ${question.choices.join(', ')}` };
  }
}

export interface MarkedAnswer {
  question: number;
  answer: Answer | null;
  /** null while a text answer waits for the quizmaster. */
  points: number | null;
  markedBy: 'auto' | 'hand' | 'pending';
}

/** Marks one team's sheet: hand marks first, then numbers and choices automatically. */
export function markSheet(questions: Question[], sheet: AnswerSheet | undefined): MarkedAnswer[] {
  return questions.map((question, index) => {
    const number = index + 1;
    const answer = sheet?.answers[number] ?? null;
    const hand = sheet?.marks[number];
    if (hand !== undefined) return { question: number, answer, points: hand, markedBy: 'hand' };
    if (answer === null) return { question: number, answer, points: 0, markedBy: 'auto' };
    switch (question.type) {
      case 'text':
        return { question: number, answer, points: null, markedBy: 'pending' };
      case 'number':
        return {
          question: number,
          answer,
          points: within(Number(answer), question.answer, question.tolerance) ? question.points : 0,
          markedBy: 'auto',
        };
      case 'choice':
        return { question: number, answer, points: answer === question.answer ? question.points : 0, markedBy: 'auto' };
    }
  });
}

export interface Standing {
  rank: number;
  teamId: string;
  name: string;
  total: number;
  /** Per round; only closed rounds score, and `pending` counts answers still to be marked. */
  rounds: { round: number; points: number; pending: number }[];
}

export interface Scoreboard {
  quizId: string;
  title: string;
  rounds: { round: number; title: string; status: 'open' | 'closed' }[];
  standings: Standing[];
}

/** Standings over the closed rounds, best first; teams on the same total share a rank. */
export function scoreboard(quiz: Quiz, teams: Team[], sheets: AnswerSheet[]): Scoreboard {
  const closed = quiz.rounds.map((_, index) => quiz.closedRounds[index + 1] !== undefined);
  const sheetOf = new Map(sheets.map((sheet) => [`${sheet.round}/${sheet.teamId}`, sheet]));
  const unranked = teams.map((team) => {
    const rounds = quiz.rounds.flatMap((round, index) => {
      if (!closed[index]) return [];
      const marked = markSheet(round.questions, sheetOf.get(`${index + 1}/${team.id}`));
      return [
        {
          round: index + 1,
          points: sum(marked.map((m) => m.points ?? 0)),
          pending: marked.filter((m) => m.points === null).length,
        },
      ];
    });
    return { teamId: team.id, name: team.name, total: sum(rounds.map((r) => r.points)), rounds };
  });
  unranked.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const standings = unranked.map((standing) => ({
    rank: unranked.findIndex((other) => other.total === standing.total) + 1,
    ...standing,
  }));
  return {
    quizId: quiz.id,
    title: quiz.title,
    rounds: quiz.rounds.map((round, index) => ({
      round: index + 1,
      title: round.title,
      status: closed[index] ? 'closed' : 'open',
    })),
    standings,
  };
}

/** Whether `given` is within `tolerance` of `expected`, forgiving float noise: 2.5 - 2.3 is 0.20000000000000018. */
function within(given: number, expected: number, tolerance: number): boolean {
  return Math.abs(given - expected) <= tolerance + 1e-9 * Math.max(1, Math.abs(expected));
}

function sum(values: number[]): number {
  // Half points are common; round away float noise such as 0.1 + 0.2.
  return Math.round(values.reduce((total, value) => total + value, 0) * 1000) / 1000;
}
