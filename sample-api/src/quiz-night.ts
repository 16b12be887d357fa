// What each request does, in the words of the night: create a quiz, register a team, fetch a
// form, submit answers, close a round, mark, add up the scoreboard. HTTP-agnostic: requests come
// in as plain values, answers go out as plain values or ApiErrors.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { ApiError, badRequest, conflict, notFound, unauthorized } from './errors.js';
import { answerForm, roundStatus, type AnswerForm } from './answer-form.js';
import { markSheet, readAnswer, scoreboard, type Scoreboard } from './marking.js';
import {
  marksSchema,
  newQuizSchema,
  registrationSchema,
  submissionSchema,
  type Answer,
  type AnswerSheet,
  type Quiz,
  type Team,
} from './model.js';
import { Conflict, type QuizStore } from './store/store.js';

export class QuizNight {
  private readonly registrationSecret: Buffer;

  constructor(
    private readonly store: QuizStore,
    private readonly now: () => Date = () => new Date(),
    /** Keys what a retried registration derives (see register); the quizmaster key in the app. */
    secret: string = randomBytes(32).toString('base64url'),
  ) {
    this.registrationSecret = createHmac('sha256', secret).update('team registration').digest();
  }

  async createQuiz(input: unknown): Promise<Quiz> {
    const quiz: Quiz = {
      id: newId(),
      ...parse(newQuizSchema, input, 'quiz'),
      createdAt: this.timestamp(),
      closedRounds: {},
    };
    await this.store.createQuiz(quiz);
    return quiz;
  }

  async quiz(quizId: string): Promise<Quiz> {
    const quiz = isId(quizId) ? await this.store.getQuiz(quizId) : undefined;
    if (!quiz) throw notFound(`there is no quiz ${quizId}`);
    return quiz;
  }

  async summary(quizId: string) {
    const quiz = await this.quiz(quizId);
    const rounds = quiz.rounds.map((round, index) => ({
      round: index + 1,
      title: round.title,
      questions: round.questions.length,
      status: roundStatus(quiz, index + 1),
    }));
    return { id: quiz.id, title: quiz.title, date: quiz.date, rounds };
  }

  /**
   * Registers a team. With an idempotency key (any unguessable value the client makes once per
   * registration and sends again on every retry), the team id and token are derived from the key,
   * so a retry whose first reply was lost gets the same team and token instead of "name taken".
   */
  async register(
    quizId: string,
    input: unknown,
    idempotencyKey?: string,
  ): Promise<{ teamId: string; name: string; token: string }> {
    await this.quiz(quizId);
    const keyProblems: Record<string, string> =
      idempotencyKey === undefined || /^[\x21-\x7e]{16,255}$/.test(idempotencyKey)
        ? {}
        : { 'Idempotency-Key': 'must be 16 to 255 visible ASCII characters, such as a UUID' };
    const registration = parse(registrationSchema, input, 'registration', keyProblems);
    const derive = (purpose: string) =>
      createHmac('sha256', this.registrationSecret).update(`${purpose}\0${quizId}\0${idempotencyKey}`).digest();
    const id = idempotencyKey === undefined ? newId() : idFrom(derive('team id'));
    // The team id leads the token, so a token alone finds its team.
    const secret = idempotencyKey === undefined ? randomBytes(24) : derive('team token').subarray(0, 24);
    const token = `${id}.${secret.toString('base64url')}`;
    try {
      const team = await this.store.addTeam({
        ...registration,
        quizId,
        id,
        tokenHash: sha256(token),
        registeredAt: this.timestamp(),
      });
      return { teamId: team.id, name: team.name, token };
    } catch (error) {
      if (error instanceof Conflict && error.reason === 'team-name-taken')
        throw conflict(`a team called "${registration.name}" is already registered for this quiz`);
      if (error instanceof Conflict && error.reason === 'other-registration')
        throw new ApiError(
          422,
          'this Idempotency-Key was already used for a registration with other details: make a new key for a new registration',
        );
      throw error;
    }
  }

  async teams(quizId: string) {
    await this.quiz(quizId);
    const teams = await this.store.listTeams(quizId);
    return teams.map(({ id, name, contact, players, registeredAt }) => ({ id, name, contact, players, registeredAt }));
  }

  async form(quizId: string, roundParam: string, token: string | undefined): Promise<AnswerForm> {
    const { quiz, round } = await this.round(quizId, roundParam);
    const team = await this.authenticate(quizId, token);
    return answerForm(quiz, round, team, await this.store.getSheet(quizId, round, team.id));
  }

  /** Merges the submitted answers over the team's sheet, if it is still at the version the team saw. */
  async submit(quizId: string, roundParam: string, token: string | undefined, input: unknown): Promise<AnswerForm> {
    const { quiz, round } = await this.round(quizId, roundParam);
    const team = await this.authenticate(quizId, token);
    if (roundStatus(quiz, round) === 'closed') throw roundClosed(round);
    const submission = parse(submissionSchema, input, 'submission');
    const questions = quiz.rounds[round - 1].questions;
    const answers: Record<string, Answer | null> = {};
    const problems: Record<string, string> = {};
    for (const [number, value] of Object.entries(submission.answers)) {
      const question = questions[Number(number) - 1];
      const read = question ? readAnswer(question, value) : { error: `round ${round} has no question ${number}` };
      if ('error' in read) problems[`answers.${number}`] = read.error;
      else answers[number] = read.answer;
    }
    if (Object.keys(problems).length > 0) throw badRequest('some answers cannot be accepted', problems);

    const sheet = await this.store.getSheet(quizId, round, team.id);
    // Sealed since the quiz was read: the round closed meanwhile, whatever version this corrects.
    if (sheet?.sealed) throw roundClosed(round);
    if ((sheet?.version ?? 0) !== submission.version) throw changedMeanwhile(answerForm(quiz, round, team, sheet));
    const merged = { ...sheet?.answers };
    for (const [number, answer] of Object.entries(answers)) {
      if (answer === null) delete merged[number];
      else merged[number] = answer;
    }
    const updated: AnswerSheet = {
      quizId,
      round,
      teamId: team.id,
      answers: merged,
      version: submission.version + 1,
      updatedAt: this.timestamp(),
      sealed: false,
      marks: {},
    };
    try {
      await this.store.putSheet(updated);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      if (error.reason === 'sealed') throw roundClosed(round);
      // A teammate saved between our read and our write: answer with what they saved.
      const current = await this.store.getSheet(quizId, round, team.id);
      if (current?.sealed) throw roundClosed(round);
      throw changedMeanwhile(answerForm(quiz, round, team, current));
    }
    return answerForm(quiz, round, team, updated);
  }

  /** Closes a round and seals every team's sheet; safe to repeat (it finishes an interrupted close). */
  async closeRound(quizId: string, roundParam: string) {
    const { round } = await this.round(quizId, roundParam);
    await this.store.closeRound(quizId, round, this.timestamp());
    // Teams are listed after the round is marked closed: a team missing from this list registered
    // later, so its submission reads the round as closed and never reaches the store.
    const teams = await this.store.listTeams(quizId);
    await inBatches(teams, 25, (team) => this.store.sealSheet(quizId, round, team.id, this.timestamp()));
    const quiz = await this.quiz(quizId);
    return { round, status: 'closed' as const, closedAt: quiz.closedRounds[round], teams: teams.length };
  }

  /** Every team's answers for a round as marked so far, with the expected answers. */
  async answers(quizId: string, roundParam: string) {
    const { quiz, round } = await this.round(quizId, roundParam);
    const [teams, sheets] = await Promise.all([this.store.listTeams(quizId), this.store.listSheets(quizId)]);
    const questions = quiz.rounds[round - 1].questions;
    return {
      round,
      status: roundStatus(quiz, round),
      questions: questions.map((question, index) => ({ number: index + 1, ...question })),
      teams: teams.map((team) => {
        const sheet = sheets.find((s) => s.round === round && s.teamId === team.id);
        return { teamId: team.id, name: team.name, version: sheet?.version ?? 0, answers: markSheet(questions, sheet) };
      }),
    };
  }

  async mark(quizId: string, roundParam: string, input: unknown): Promise<{ round: number; marked: number }> {
    const { quiz, round } = await this.round(quizId, roundParam);
    if (roundStatus(quiz, round) === 'open') throw conflict(`round ${round} is still open: close it before marking`);
    const { marks } = parse(marksSchema, input, 'marks');
    const questions = quiz.rounds[round - 1].questions;
    const teamIds = new Set((await this.store.listTeams(quizId)).map((team) => team.id));
    const problems: Record<string, string> = {};
    const byTeam = new Map<string, Record<string, number>>();
    marks.forEach((mark, index) => {
      const question = questions[mark.question - 1];
      if (!teamIds.has(mark.teamId))
        problems[`marks.${index}.teamId`] = `no team ${mark.teamId} is registered for this quiz`;
      else if (!question) problems[`marks.${index}.question`] = `round ${round} has no question ${mark.question}`;
      else if (mark.points > question.points)
        problems[`marks.${index}.points`] = `question ${mark.question} is worth at most ${question.points}`;
      else byTeam.set(mark.teamId, { ...byTeam.get(mark.teamId), [mark.question]: mark.points });
    });
    if (Object.keys(problems).length > 0) throw badRequest('some marks cannot be accepted', problems);
    await inBatches([...byTeam], 25, async ([teamId, teamMarks]) => {
      // A team that registered after the close has no sealed sheet yet.
      await this.store.sealSheet(quizId, round, teamId, this.timestamp());
      await this.store.setMarks(quizId, round, teamId, teamMarks);
    });
    return { round, marked: marks.length };
  }

  async scoreboard(quizId: string): Promise<Scoreboard> {
    const quiz = await this.quiz(quizId);
    const [teams, sheets] = await Promise.all([this.store.listTeams(quizId), this.store.listSheets(quizId)]);
    return scoreboard(quiz, teams, sheets);
  }

  private async round(quizId: string, roundParam: string): Promise<{ quiz: Quiz; round: number }> {
    if (!/^[1-9][0-9]{0,2}$/.test(roundParam))
      throw badRequest(`round must be a round number (1, 2, …), not "${roundParam}"`);
    const quiz = await this.quiz(quizId);
    const round = Number(roundParam);
    if (round > quiz.rounds.length) throw notFound(`quiz ${quizId} has ${quiz.rounds.length} rounds, not ${round}`);
    return { quiz, round };
  }

  private async authenticate(quizId: string, token: string | undefined): Promise<Team> {
    if (!token)
      throw unauthorized(
        'a team token is required: send the token from your registration as "Authorization: Bearer <token>"',
      );
    const teamId = token.split('.')[0];
    const team = isId(teamId) ? await this.store.getTeam(quizId, teamId) : undefined;
    if (!team || !timingSafeEqual(Buffer.from(team.tokenHash, 'hex'), Buffer.from(sha256(token), 'hex'))) {
      throw unauthorized('this team token is not valid for this quiz');
    }
    return team;
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

/** The input as `schema` reads it; else a 400 naming every problem, `otherProblems` (say, in headers) too. */
function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  otherProblems: Record<string, string> = {},
): z.output<S> {
  if (input === undefined) throw badRequest(`send the ${what} as a JSON body with "Content-Type: application/json"`);
  const result = schema.safeParse(input);
  if (result.success && Object.keys(otherProblems).length === 0) return result.data;
  const details = Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [issue.path.join('.') || '(body)', issue.message]),
  );
  throw badRequest(`invalid ${what}`, { ...details, ...otherProblems });
}

const roundClosed = (round: number): ApiError => conflict(`round ${round} is closed: answers are no longer accepted`);
/** The 409 for a stale correction carries the team's current form, so the client can merge and resend. */
const changedMeanwhile = (current: AnswerForm): ApiError =>
  conflict(
    `your team changed these answers meanwhile (now version ${current.version}): load the form again and resubmit`,
    { current },
  );

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Ten characters of a-z0-9: short enough to read out, about 51 bits of randomness. */
function newId(): string {
  return idFrom(randomBytes(10));
}

function idFrom(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...bytes.subarray(0, 10)].map((byte) => alphabet[byte % 36]).join('');
}

/** Whether `text` could be an id newId() made: nothing else is looked up (DynamoDB refuses overlong keys with a 500). */
const isId = (text: string) => /^[a-z0-9]{10}$/.test(text);

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size)
    await Promise.all(items.slice(start, start + size).map(work));
}
