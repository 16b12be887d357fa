// How the engines (image, deploy) talk to whoever runs them. The action implements it on
// @actions/core (groups, masking, annotations); the CLI on the terminal. Engines never import
// @actions/core, so the same code runs in both.
export interface Reporter {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs fn inside a collapsible section of the log. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a value that must never appear in any log line from now on. Call before printing anything derived from it. */
  secret(value: string): void;
}

/** A reporter for tests and quiet runs: keeps every line it is given. */
export class MemoryReporter implements Reporter {
  readonly lines: string[] = [];
  readonly secrets: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`## ${title}`);
    return fn();
  }
  secret(value: string): void {
    this.secrets.push(value);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
