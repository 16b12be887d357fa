// The engines' Reporter for a terminal: plain lines, a header per group, and every registered
// secret replaced by *** before a line is written (the runner does this for the action).
import type { Reporter } from '../reporter.js';

export class TerminalReporter implements Reporter {
  private readonly secrets: string[] = [];

  constructor(private readonly write: (text: string) => void) {}

  private line(text: string): void {
    let safe = text;
    for (const secret of this.secrets) safe = safe.split(secret).join('***');
    this.write(`${safe}\n`);
  }

  info(message: string): void {
    this.line(message);
  }
  warning(message: string): void {
    this.line(`warning: ${message}`);
  }
  error(message: string): void {
    this.line(`error: ${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line(`\n▸ ${title}`);
    return fn();
  }
  secret(value: string): void {
    if (value && !this.secrets.includes(value)) this.secrets.push(value);
  }
}
