// The store for deployments: one table with string keys pk and sk (what the action's renderer
// creates). A quiz and everything in it share one partition, so the whole night is one Query:
//   pk QUIZ#<quizId>   sk QUIZ                     the quiz, with closedRounds
//                      sk TEAM#<teamId>            a team
//                      sk TEAMNAME#<name key>      claims a team name, so names stay unique
//                      sk SHEET#<round>#<teamId>   a team's answers for a round
// Races are settled by single-item condition expressions (no transactions: they would not buy
// anything here, and dynalite, which the tests run against, does not implement them).
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  DeleteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AnswerSheet, Quiz, Team } from '../model.js';
import { unavailableOr } from './dynamodb-client.js';
import { Conflict, idConflict, sameRegistration, teamNameKey, type QuizStore } from './store.js';

const quizKey = (quizId: string) => ({ pk: `QUIZ#${quizId}`, sk: 'QUIZ' });
const teamKey = (quizId: string, teamId: string) => ({ pk: `QUIZ#${quizId}`, sk: `TEAM#${teamId}` });
const teamNameClaimKey = (quizId: string, name: string) => ({
  pk: `QUIZ#${quizId}`,
  sk: `TEAMNAME#${teamNameKey(name)}`,
});
const sheetKey = (quizId: string, round: number, teamId: string) => ({
  pk: `QUIZ#${quizId}`,
  sk: `SHEET#${round}#${teamId}`,
});

export class DynamoStore implements QuizStore {
  private readonly db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
    /** Each call to the table is aborted after this long, retries included. */
    private readonly callMs = 5000,
  ) {
    this.db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async ping(): Promise<void> {
    await reachable(
      this.db.send(new GetCommand({ TableName: this.table, Key: { pk: 'HEALTH', sk: 'HEALTH' } }), this.deadline()),
    );
  }

  async createQuiz(quiz: Quiz): Promise<void> {
    if (!(await this.put({ ...quizKey(quiz.id), ...quiz }, 'attribute_not_exists(pk)'))) throw new Conflict('id-taken');
  }

  async getQuiz(quizId: string): Promise<Quiz | undefined> {
    return this.get<Quiz>(quizKey(quizId));
  }

  async closeRound(quizId: string, round: number, closedAt: string): Promise<void> {
    await this.update(quizKey(quizId), {
      UpdateExpression: 'SET closedRounds.#round = if_not_exists(closedRounds.#round, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#round': String(round) },
      ExpressionAttributeValues: { ':at': closedAt },
    });
  }

  async addTeam(team: Team): Promise<Team> {
    const claim = teamNameClaimKey(team.quizId, team.name);
    // A claim this team made on an earlier attempt is its own, not a taken name.
    const claimed = await this.put({ ...claim, teamId: team.id }, 'attribute_not_exists(pk)');
    if (!claimed && (await this.get<{ teamId: string }>(claim))?.teamId !== team.id)
      throw new Conflict('team-name-taken');
    try {
      if (await this.put({ ...teamKey(team.quizId, team.id), ...team }, 'attribute_not_exists(pk)')) return team;
      const stored = await this.get<Team>(teamKey(team.quizId, team.id));
      if (stored && sameRegistration(stored, team)) return stored;
      throw stored ? idConflict(stored, team) : new Conflict('id-taken');
    } catch (error) {
      // Free the name again, unless an earlier attempt of this team claimed it.
      if (claimed)
        await reachable(this.db.send(new DeleteCommand({ TableName: this.table, Key: claim }), this.deadline()));
      throw error;
    }
  }

  async getTeam(quizId: string, teamId: string): Promise<Team | undefined> {
    return this.get<Team>(teamKey(quizId, teamId));
  }

  async listTeams(quizId: string): Promise<Team[]> {
    return this.query<Team>(quizId, 'TEAM#');
  }

  async getSheet(quizId: string, round: number, teamId: string): Promise<AnswerSheet | undefined> {
    return this.get<AnswerSheet>(sheetKey(quizId, round, teamId));
  }

  async putSheet(sheet: AnswerSheet): Promise<void> {
    const open = 'version = :previous AND sealed = :false';
    const condition = sheet.version === 1 ? `attribute_not_exists(pk) OR (${open})` : open;
    const key = sheetKey(sheet.quizId, sheet.round, sheet.teamId);
    const values = { ':previous': sheet.version - 1, ':false': false };
    if (await this.put({ ...key, ...sheet }, condition, values)) return;
    // Only a second read tells which condition failed (dynalite lacks ReturnValuesOnConditionCheckFailure).
    const stored = await this.get<AnswerSheet>(key);
    throw new Conflict(stored?.sealed ? 'sealed' : 'stale-version');
  }

  async sealSheet(quizId: string, round: number, teamId: string, at: string): Promise<void> {
    await this.update(sheetKey(quizId, round, teamId), {
      UpdateExpression:
        'SET sealed = :true, quizId = :quizId, round = :round, teamId = :teamId, answers = if_not_exists(answers, :empty), ' +
        'marks = if_not_exists(marks, :empty), version = if_not_exists(version, :zero), updatedAt = if_not_exists(updatedAt, :at)',
      ExpressionAttributeValues: {
        ':true': true,
        ':quizId': quizId,
        ':round': round,
        ':teamId': teamId,
        ':empty': {},
        ':zero': 0,
        ':at': at,
      },
    });
  }

  async setMarks(quizId: string, round: number, teamId: string, marks: Record<string, number>): Promise<void> {
    const entries = Object.entries(marks);
    const applied = await this.update(sheetKey(quizId, round, teamId), {
      UpdateExpression: 'SET ' + entries.map((_, i) => `marks.#q${i} = :p${i}`).join(', '),
      ConditionExpression: 'sealed = :true',
      ExpressionAttributeNames: Object.fromEntries(entries.map(([question], i) => [`#q${i}`, question])),
      ExpressionAttributeValues: {
        ':true': true,
        ...Object.fromEntries(entries.map(([, points], i) => [`:p${i}`, points])),
      },
    });
    if (!applied) throw new Conflict('not-sealed');
  }

  async listSheets(quizId: string): Promise<AnswerSheet[]> {
    return this.query<AnswerSheet>(quizId, 'SHEET#');
  }

  private async get<T>(key: Record<string, string>): Promise<T | undefined> {
    const { Item } = await reachable(
      this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }), this.deadline()),
    );
    return Item ? withoutKeys<T>(Item) : undefined;
  }

  /** Every item of the quiz whose sort key starts with `prefix`, across pages. */
  private async query<T>(quizId: string, prefix: string): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await reachable(
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `QUIZ#${quizId}`, ':prefix': prefix },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
          this.deadline(),
        ),
      );
      items.push(...(page.Items ?? []).map((item) => withoutKeys<T>(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** False when the condition failed. */
  private async put(
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<boolean> {
    return conditional(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
        this.deadline(),
      ),
    );
  }

  /** False when the condition failed. */
  private async update(
    key: Record<string, string>,
    expression: Omit<UpdateCommand['input'], 'TableName' | 'Key'>,
  ): Promise<boolean> {
    return conditional(
      this.db.send(new UpdateCommand({ TableName: this.table, Key: key, ...expression }), this.deadline()),
    );
  }

  private deadline() {
    return { abortSignal: AbortSignal.timeout(this.callMs) };
  }
}

/** The call's result, or StoreUnavailable when the table cannot be reached. */
async function reachable<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw unavailableOr(error);
  }
}

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw unavailableOr(error);
  }
}

function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}
