// Server-rendered pages for phones without JavaScript: the answer form, the scoreboard and
// errors. Everything from a user is escaped; the one stylesheet is allowed by its hash, so the
// Content-Security-Policy needs no 'unsafe-inline'.
import { createHash } from 'node:crypto';
import type { Scoreboard } from './marking.js';
import type { AnswerForm } from './answer-form.js';

const STYLE = `body{font:16px/1.4 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem}
fieldset{border:1px solid #ccc;border-radius:.5rem;margin:0 0 1rem}label{display:block;margin:.25rem 0}
input[type=text]{box-sizing:border-box;font:inherit;padding:.5rem;width:100%}button{font:inherit;padding:.6rem 1.2rem}
.notice{background:#e7f6e7;padding:.5rem}.error{background:#fde8e8;padding:.5rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}`;

/** The CSP source that allows exactly the page style. */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export interface FormPageOptions {
  token: string;
  notice?: string;
  errors?: Record<string, string>;
  /** What the team typed, shown instead of the stored answers after a refused submission. */
  typed?: Record<string, string>;
}

export function formPage(form: AnswerForm, { token, notice, errors, typed }: FormPageOptions): string {
  const open = form.status === 'open';
  const fields = form.questions.map((question) => {
    const name = `q${question.number}`;
    const value = typed?.[name] ?? (question.answer === null ? '' : String(question.answer));
    const points = `${question.points} point${question.points === 1 ? '' : 's'}`;
    const marked = question.marked === undefined ? '' : ` · scored ${question.marked ?? 'awaiting marking'}`;
    const input =
      question.type === 'choice'
        ? ['', ...(question.choices ?? [])]
            .map(
              (choice) =>
                `<label><input type="radio" name="${name}" value="${esc(choice)}"${choice === value ? ' checked' : ''}${open ? '' : ' disabled'}> ${choice === '' ? '<i>no answer</i>' : esc(choice)}</label>`,
            )
            .join('')
        : `<input type="text" name="${name}" value="${esc(value)}"${question.type === 'number' ? ' inputmode="decimal"' : ''}${open ? '' : ' disabled'} aria-label="answer ${question.number}">`;
    return `<fieldset><legend>${question.number}. ${esc(question.text)} <small>(${points}${marked})</small></legend>${input}</fieldset>`;
  });
  const status = open ? '' : `<p class="notice">Round ${form.round} is closed.</p>`;
  const body = `<h1>${esc(form.quiz)}</h1><h2>Round ${form.round}: ${esc(form.title)}</h2><p>Team <b>${esc(form.team.name)}</b></p>
${notice ? `<p class="notice">${esc(notice)}</p>` : ''}${errorList(errors)}${status}
<form method="post" action="answers"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="version" value="${form.version}">
${fields.join('\n')}
${open ? '<button type="submit">Save answers</button>' : ''}</form>`;
  return page(`${form.quiz}: round ${form.round}`, body);
}

export function scoreboardPage(board: Scoreboard): string {
  const closed = board.rounds.filter((round) => round.status === 'closed');
  const head = `<tr><th>#</th><th>Team</th>${closed.map((round) => `<th>R${round.round}</th>`).join('')}<th>Total</th></tr>`;
  const rows = board.standings.map(
    (standing) =>
      `<tr><td>${standing.rank}</td><td>${esc(standing.name)}</td>${standing.rounds
        .map((round) => `<td>${round.points}${round.pending ? '*' : ''}</td>`)
        .join('')}<td><b>${standing.total}</b></td></tr>`,
  );
  const pending = board.standings.some((standing) => standing.rounds.some((round) => round.pending))
    ? '<p>* answers still being marked</p>'
    : '';
  return page(
    `${board.title}: scoreboard`,
    `<h1>${esc(board.title)}</h1><table>${head}${rows.join('')}</table>${pending}`,
  );
}

export function errorPage(status: number, message: string, details?: Record<string, string>): string {
  return page(`Error ${status}`, `<h1>Sorry</h1><p class="error">${esc(message)}</p>${errorList(details)}`);
}

function errorList(errors: Record<string, string> | undefined): string {
  if (!errors || Object.keys(errors).length === 0) return '';
  return `<ul class="error">${Object.entries(errors)
    .map(([field, message]) => `<li>${esc(field)}: ${esc(message)}</li>`)
    .join('')}</ul>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
