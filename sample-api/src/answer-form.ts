// What a team sees for a round: the questions without their answers, the team's own answers and
// the version to correct them from, and once the round is closed, what each answer scored.
import { markSheet } from './marking.js';
import type { Answer, AnswerSheet, Quiz, Team } from './model.js';

export interface AnswerForm {
  quizId: string;
  quiz: string;
  round: number;
  title: string;
  status: 'open' | 'closed';
  team: { id: string; name: string };
  /** Send it back with the answers: it proves they correct what the team last saw. */
  version: number;
  questions: {
    number: number;
    text: string;
    type: string;
    points: number;
    choices?: string[];
    answer: Answer | null;
    marked?: number | null;
  }[];
}

export function answerForm(quiz: Quiz, round: number, team: Team, sheet: AnswerSheet | undefined): AnswerForm {
  const questions = quiz.rounds[round - 1].questions;
  const marked = roundStatus(quiz, round) === 'closed' ? markSheet(questions, sheet) : undefined;
  return {
    quizId: quiz.id,
    quiz: quiz.title,
    round,
    title: quiz.rounds[round - 1].title,
    status: roundStatus(quiz, round),
    team: { id: team.id, name: team.name },
    version: sheet?.version ?? 0,
    questions: questions.map((question, index) => ({
      number: index + 1,
      text: question.text,
      type: question.type,
      points: question.points,
      ...(question.type === 'choice' ? { choices: question.choices } : {}),
      answer: sheet?.answers[index + 1] ?? null,
      ...(marked ? { marked: marked[index].points } : {}),
    })),
  };
}

export function roundStatus(quiz: Quiz, round: number): 'open' | 'closed' {
  return quiz.closedRounds[round] ? 'closed' : 'open';
}
