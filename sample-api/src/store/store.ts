// What the quiz night needs from storage. Every write that two requests could race on is
// conditional, so both stores give the same guarantee: a write lands whole or is refused with a
// Conflict, never silently over another.
import type { AnswerSheet, Quiz, Team } from '../model.js';

export type ConflictReason =
  'id-taken' | 'stale-version' | 'sealed' | 'team-name-taken' | 'not-sealed' | 'other-registration';

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
   * Adds a team and resolves with the team stored. Adding the same team again (same id, token
   * hash and registration, as a retried registration does) resolves with the one stored first.
   * Conflict 'team-name-taken' when another team of the quiz has that name (ignoring case and
   * spacing); 'other-registration' when a team of that id and token hash registered other
   * details; 'id-taken' when a different team has that id.
   */
  addTeam(team: Team): Promise<Team>;
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

/** Whether `stored` is `team` registered before: the same id, token and details, whenever it was. */
export function sameRegistration(stored: Team, team: Team): boolean {
  return (
    stored.quizId === team.quizId &&
    stored.id === team.id &&
    stored.tokenHash === team.tokenHash &&
    stored.name === team.name &&
    stored.contact === team.contact &&
    stored.players === team.players
  );
}

/** The Conflict for a team whose id is stored with other details. */
export function idConflict(stored: Team, team: Team): Conflict {
  return new Conflict(stored.tokenHash === team.tokenHash ? 'other-registration' : 'id-taken');
}

export { teamNameKey } from '../team-name.js';
