// The engines' Reporter for a terminal: plain lines, a header per group, and every registered
// secret replaced by *** before a line is written (the runner does this for the action). Colour
// only when asked (see colour.ts); a heartbeat while a group is quiet (see heartbeat.ts).
import type { Reporter } from '../reporter.js';
import { palette, type Paint, type Palette } from './colour.js';
import { Heartbeat, systemTicker, type Ticker } from './heartbeat.js';

export interface TerminalOptions {
  colour?: boolean;
  /** Drives the heartbeat; the system clock when not given. */
  ticker?: Ticker;
  quietMs?: number;
}

export class TerminalReporter implements Reporter {
  private readonly secrets: string[] = [];
  private readonly paint: Palette;
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly write: (text: string) => void,
    options: TerminalOptions = {},
  ) {
    this.paint = palette(options.colour ?? false);
    this.heartbeat = new Heartbeat(
      options.ticker ?? systemTicker,
      (line) => this.write(`${this.paint.dim(this.mask(line))}\n`),
      options.quietMs,
    );
  }

  private mask(text: string): string {
    let safe = text;
    for (const secret of this.secrets) safe = safe.split(secret).join('***');
    return safe;
  }

  private line(text: string, paint?: Paint): void {
    const safe = this.mask(text);
    this.heartbeat.wrote(safe);
    // Paint after the leading blank line, so a colour never spans lines.
    const rest = safe.replace(/^\n*/, '');
    const blank = safe.slice(0, safe.length - rest.length);
    this.write(`${blank}${paint ? paint(rest) : rest}\n`);
  }

  info(message: string): void {
    this.line(message);
  }
  warning(message: string): void {
    this.line(`warning: ${message}`, this.paint.warning);
  }
  error(message: string): void {
    this.line(`error: ${message}`, this.paint.error);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line(`\n▸ ${title}`, this.paint.heading);
    this.heartbeat.enter(title);
    try {
      return await fn();
    } finally {
      this.heartbeat.leave();
    }
  }
  secret(value: string): void {
    if (value && !this.secrets.includes(value)) this.secrets.push(value);
  }
}
