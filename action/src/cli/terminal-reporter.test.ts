import { describe, expect, it } from '@jest/globals';
import { useColour } from './colour.js';
import type { Ticker } from './heartbeat.js';
import { TerminalReporter } from './terminal-reporter.js';

/** A clock the test moves by hand; `advance` fires the ticks that would have fired meanwhile. */
function fakeTicker() {
  let now = 0;
  const timers = new Set<{ every: number; next: number; tick: () => void }>();
  const ticker: Ticker = {
    now: () => now,
    every: (ms, tick) => {
      const timer = { every: ms, next: now + ms, tick };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.every;
      due.tick();
    }
    now = end;
  };
  return { ticker, advance, running: () => timers.size };
}

function reporterWith(colour = false) {
  const clock = fakeTicker();
  let out = '';
  const reporter = new TerminalReporter((text) => (out += text), { colour, ticker: clock.ticker, quietMs: 15_000 });
  return { reporter, clock, output: () => out };
}

describe('the heartbeat', () => {
  it('says what a quiet group waits for and for how long, every quiet period', async () => {
    const { reporter, clock, output } = reporterWith();
    let finish!: () => void;
    const done = reporter.group('Deploying stack quiz', () => new Promise<void>((resolve) => (finish = resolve)));
    reporter.info('Service CREATE_IN_PROGRESS');
    clock.advance(14_000);
    expect(output()).not.toContain('still waiting');
    clock.advance(1_000);
    clock.advance(10_000);
    reporter.info('Service CREATE_COMPLETE');
    clock.advance(14_999);
    finish();
    await done;
    expect(output()).toBe(
      '\n▸ Deploying stack quiz\nService CREATE_IN_PROGRESS\n' +
        '  … still waiting: Deploying stack quiz, 15 s so far; last: Service CREATE_IN_PROGRESS\n' +
        'Service CREATE_COMPLETE\n',
    );
  });

  it('stops with the group, so nothing ticks after the work is done', async () => {
    const { reporter, clock, output } = reporterWith();
    await reporter.group('Change set for stack quiz', async () => {
      clock.advance(61_000);
    });
    expect(output()).toContain('  … still waiting: Change set for stack quiz, 1 min 0 s so far; last: ▸ Change set');
    expect(clock.running()).toBe(0);
    const before = output();
    clock.advance(120_000);
    expect(output()).toBe(before);
  });

  it('masks secrets in what it repeats', async () => {
    const { reporter, clock, output } = reporterWith();
    reporter.secret('hunter2');
    await reporter.group('Login', async () => {
      reporter.info('password hunter2');
      clock.advance(15_000);
    });
    expect(output()).not.toContain('hunter2');
    expect(output()).toContain('last: password ***');
  });
});

describe('colour', () => {
  it('paints headings, warnings and errors only when asked', async () => {
    const coloured = reporterWith(true);
    await coloured.reporter.group('Build', async () => coloured.reporter.warning('slow'));
    coloured.reporter.error('failed');
    expect(coloured.output()).toBe(
      '\n\x1b[1m▸ Build\x1b[22m\n\x1b[33mwarning: slow\x1b[39m\n\x1b[31merror: failed\x1b[39m\n',
    );

    const plain = reporterWith(false);
    await plain.reporter.group('Build', async () => plain.reporter.warning('slow'));
    expect(plain.output()).toBe('\n▸ Build\nwarning: slow\n');
  });

  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [false, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('a terminal %s with %j: colour %s', (isTTY, env, expected) => {
    expect(useColour(isTTY, env)).toBe(expected);
  });
});
