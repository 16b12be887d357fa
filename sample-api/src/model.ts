// The quiz night's data: what a quizmaster writes (validated by zod, so the request schemas and
// the stored types cannot drift apart) and what the stores keep.
import { z } from 'zod';
import { storableNumberProblem } from './numbers.js';
import { teamNameProblem } from './team-name.js';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/** A number both stores keep exactly as given (see numbers.ts). */
const storable = (number: z.ZodNumber) =>
  number.check((ctx) => {
    const problem = storableNumberProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
const points = z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100');

const textQuestion = z.strictObject({
  type: z.literal('text'),
  text: text(500),
  points: points.default(1),
  /** What the quizmaster expects; text answers are always marked by hand. */
  answer: text(200).optional(),
});

const numberQuestion = z.strictObject({
  type: z.literal('number'),
  text: text(500),
  points: points.default(1),
  answer: storable(z.number({ error: 'must be a number' })),
  /** How far off an answer may be and still score ("within 5 years"). */
  tolerance: storable(z.number().min(0, 'must not be negative')).default(0),
});

const choiceQuestion = z
  .strictObject({
    type: z.literal('choice'),
    text: text(500),
    points: points.default(1),
    choices: z.array(text(200)).min(2, 'needs at least 2 choices').max(10, 'allows at most 10 choices'),
    answer: text(200),
  })
  .refine((q) => q.choices.includes(q.answer), { message: 'must be one of the choices', path: ['answer'] })
  .refine((q) => new Set(q.choices).size === q.choices.length, {
    message: 'must not repeat a choice',
    path: ['choices'],
  });

export const questionSchema = z.discriminatedUnion('type', [textQuestion, numberQuestion, choiceQuestion], {
  error: 'type must be one of text, number, choice',
});

export const newQuizSchema = z.strictObject({
  title: text(200),
  date: z.iso.date('must be a date like 2026-11-27'),
  rounds: z
    .array(
      z.strictObject({
        title: text(200),
        questions: z.array(questionSchema).min(1, 'needs at least 1 question').max(50, 'allows at most 50 questions'),
      }),
    )
    .min(1, 'needs at least 1 round')
    .max(20, 'allows at most 20 rounds'),
});

export const registrationSchema = z.strictObject({
  name: text(60).check((ctx) => {
    // An empty name is already told it must not be empty.
    const problem = ctx.value === '' ? undefined : teamNameProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  }),
  contact: text(200),
  players: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(12, 'must be at most 12'),
});

/** An answer per question number ("1", "2", …); null clears an answer, a missing key keeps it. */
export const submissionSchema = z.strictObject({
  version: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? 'is required: send the version from your form (0 before the first submission)'
          : 'must be a number',
    })
    .int('must be a whole number')
    .min(0, 'must not be negative'),
  answers: z.record(
    z.string().regex(/^[1-9][0-9]*$/),
    z.union([z.string(), z.number(), z.null()], { error: 'must be text, a number or null' }),
    {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'is not a question number (1, 2, …)'
          : 'must map question numbers to answers, like {"1": 1989}',
    },
  ),
});

export const marksSchema = z.strictObject({
  marks: z
    .array(
      z.strictObject({
        teamId: z.string().min(1, 'must not be empty'),
        question: z.number().int('must be a whole number').min(1, 'must be at least 1'),
        points: storable(z.number().min(0, 'must not be negative')),
      }),
    )
    .min(1, 'needs at least 1 mark'),
});

export type Question = z.output<typeof questionSchema>;
export type NewQuiz = z.output<typeof newQuizSchema>;
export type Registration = z.output<typeof registrationSchema>;
export type Submission = z.output<typeof submissionSchema>;
export type Mark = z.output<typeof marksSchema>['marks'][number];

export type Answer = string | number;

export interface Quiz extends NewQuiz {
  id: string;
  createdAt: string;
  /** Round number -> when the quizmaster closed it; rounds not in here are open. */
  closedRounds: Record<string, string>;
}

export interface Team extends Registration {
  quizId: string;
  id: string;
  /** SHA-256 of the team's token: the token itself is only ever shown to the team. */
  tokenHash: string;
  registeredAt: string;
}

/** One team's answers for one round. */
export interface AnswerSheet {
  quizId: string;
  round: number;
  teamId: string;
  /** Question number -> answer. */
  answers: Record<string, Answer>;
  /** Bumped on every submission; a submission names the version it corrects. */
  version: number;
  updatedAt: string;
  /** Set when the round closes: no submission lands after that. */
  sealed: boolean;
  /** Question number -> points the quizmaster gave by hand (overrides automatic marking). */
  marks: Record<string, number>;
}
