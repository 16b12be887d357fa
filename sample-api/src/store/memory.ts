// The store for local runs and tests. Each method checks and writes without awaiting in between,
// so on Node's single thread it is as atomic as a DynamoDB conditional write. Values are copied in
// and out so that callers can no more change stored state by accident than they could in a table.
import type { AnswerSheet, Quiz, Team } from '../model.js';
import { Conflict, idConflict, sameRegistration, teamNameKey, type QuizStore } from './store.js';

const sheetKey = (quizId: string, round: number, teamId: string) => `${quizId}/${round}/${teamId}`;

export class MemoryStore implements QuizStore {
  private readonly quizzes = new Map<string, Quiz>();
  private readonly teams = new Map<string, Map<string, Team>>();
  /** Quiz id -> name key -> the id of the team that claimed it. */
  private readonly teamNames = new Map<string, Map<string, string>>();
  private readonly sheets = new Map<string, AnswerSheet>();

  async ping(): Promise<void> {}

  async createQuiz(quiz: Quiz): Promise<void> {
    if (this.quizzes.has(quiz.id)) throw new Conflict('id-taken');
    this.quizzes.set(quiz.id, structuredClone(quiz));
    this.teams.set(quiz.id, new Map());
    this.teamNames.set(quiz.id, new Map());
  }

  async getQuiz(quizId: string): Promise<Quiz | undefined> {
    return copy(this.quizzes.get(quizId));
  }

  async closeRound(quizId: string, round: number, closedAt: string): Promise<void> {
    const quiz = this.quizzes.get(quizId);
    if (quiz && !quiz.closedRounds[round]) quiz.closedRounds[round] = closedAt;
  }

  async addTeam(team: Team): Promise<Team> {
    const names = this.teamNames.get(team.quizId) ?? new Map<string, string>();
    const teams = this.teams.get(team.quizId) ?? new Map<string, Team>();
    const key = teamNameKey(team.name);
    const claimedBy = names.get(key);
    if (claimedBy !== undefined && claimedBy !== team.id) throw new Conflict('team-name-taken');
    const stored = teams.get(team.id);
    if (stored) {
      if (sameRegistration(stored, team)) return structuredClone(stored);
      throw idConflict(stored, team);
    }
    names.set(key, team.id);
    this.teamNames.set(team.quizId, names);
    teams.set(team.id, structuredClone(team));
    this.teams.set(team.quizId, teams);
    return structuredClone(team);
  }

  async getTeam(quizId: string, teamId: string): Promise<Team | undefined> {
    return copy(this.teams.get(quizId)?.get(teamId));
  }

  async listTeams(quizId: string): Promise<Team[]> {
    return [...(this.teams.get(quizId)?.values() ?? [])].map((team) => structuredClone(team));
  }

  async getSheet(quizId: string, round: number, teamId: string): Promise<AnswerSheet | undefined> {
    return copy(this.sheets.get(sheetKey(quizId, round, teamId)));
  }

  async putSheet(sheet: AnswerSheet): Promise<void> {
    const key = sheetKey(sheet.quizId, sheet.round, sheet.teamId);
    const stored = this.sheets.get(key);
    if (stored?.sealed) throw new Conflict('sealed');
    if ((stored?.version ?? 0) !== sheet.version - 1) throw new Conflict('stale-version');
    this.sheets.set(key, structuredClone(sheet));
  }

  async sealSheet(quizId: string, round: number, teamId: string, at: string): Promise<void> {
    const key = sheetKey(quizId, round, teamId);
    const stored = this.sheets.get(key);
    if (stored) stored.sealed = true;
    else
      this.sheets.set(key, { quizId, round, teamId, answers: {}, version: 0, updatedAt: at, sealed: true, marks: {} });
  }

  async setMarks(quizId: string, round: number, teamId: string, marks: Record<string, number>): Promise<void> {
    const stored = this.sheets.get(sheetKey(quizId, round, teamId));
    if (!stored?.sealed) throw new Conflict('not-sealed');
    Object.assign(stored.marks, marks);
  }

  async listSheets(quizId: string): Promise<AnswerSheet[]> {
    return [...this.sheets.values()].filter((sheet) => sheet.quizId === quizId).map((sheet) => structuredClone(sheet));
  }
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}
