// Colour for a person at a terminal, none for logs and pipes: on when the stream is a TTY, off
// with NO_COLOR (https://no-color.org) or TERM=dumb, forced on with FORCE_COLOR (CI logs that render it).

export function useColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return Boolean(isTTY) && env.TERM !== 'dumb';
}

export type Paint = (text: string) => string;

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const plain: Paint = (text) => text;

export interface Palette {
  heading: Paint;
  warning: Paint;
  error: Paint;
  dim: Paint;
}

export function palette(colour: boolean): Palette {
  if (!colour) return { heading: plain, warning: plain, error: plain, dim: plain };
  return { heading: sgr(1, 22), warning: sgr(33, 39), error: sgr(31, 39), dim: sgr(2, 22) };
}
