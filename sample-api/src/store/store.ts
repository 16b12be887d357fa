// What the quiz night needs from storage. Every write that two requests could race on is
// conditional, so both stores give the same guarantee: a write lands whole or is refused with a
// Conflict, never silently over another.
import type { AnswerSheet, Quiz, Team } from '../model.js';

export type ConflictReason = 'id-taken' | 'stale-version' | 'sealed' | 'team-name-taken' | 'not-sealed';

export class Conflict extends Error {
  constructor(readonly reason: ConflictReason) {
    super(`store refused the write: ${reason}`);
    this.name = 'Conflict';
  }
}

export interface QuizStore {
  /** Throws when the store cannot be reached (the health check). */
  ping(): Promise<void>;

  /** Conflict 'id-taken' when a quiz of that id exists. */
  createQuiz(quiz: Quiz): Promise<void>;
  getQuiz(quizId: string): Promise<Quiz | undefined>;
  /** Records when a round closed; keeps the first time when it was already closed. */
  closeRound(quizId: string, round: number, closedAt: string): Promise<void>;

  /**
   * Conflict 'team-name-taken' when the quiz has a team of that name (ignoring case and spacing),
   * 'id-taken' when it has a team of that id.
   */
  addTeam(team: Team): Promise<void>;
  getTeam(quizId: string, teamId: string): Promise<Team | undefined>;
  listTeams(quizId: string): Promise<Team[]>;

  getSheet(quizId: string, round: number, teamId: string): Promise<AnswerSheet | undefined>;
  /**
   * Stores `sheet` if the stored one is at `sheet.version - 1` (absent counts as 0) and not sealed;
   * otherwise Conflict 'stale-version' or 'sealed'.
   */
  putSheet(sheet: AnswerSheet): Promise<void>;
  /** Seals a team's sheet for a round, creating an empty one if the team never submitted. */
  sealSheet(quizId: string, round: number, teamId: string, at: string): Promise<void>;
  /** Sets hand marks on a sealed sheet, leaving its other marks alone; Conflict 'not-sealed' otherwise. */
  setMarks(quizId: string, round: number, teamId: string, marks: Record<string, number>): Promise<void>;
  listSheets(quizId: string): Promise<AnswerSheet[]>;
}

export { teamNameKey } from '../team-name.js';
