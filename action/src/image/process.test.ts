import { describe, expect, test } from '@jest/globals';
import { CommandError, redact, run, runChecked } from './process.js';

describe('run', () => {
  test('streams each line, with registered secrets replaced, and keeps the last lines for errors', async () => {
    const lines: string[] = [];
    const script = 'read pw; echo "token is $pw"; echo "fail: $pw" >&2; exit 3';
    const result = await run('sh', ['-c', script], {
      stdin: 'hunter2\n',
      secrets: ['hunter2'],
      onLine: (l) => lines.push(l),
    });

    expect(result.exitCode).toBe(3);
    expect(lines.sort()).toEqual(['fail: ***', 'token is ***']);
    expect(result.tail.join('\n')).not.toContain('hunter2');
  });

  test('runChecked throws the tool’s own last lines', async () => {
    const error = await runChecked(run, 'the build', 'sh', [
      '-c',
      'echo step 1; echo "Error: no space left" >&2; exit 1',
    ]).catch((e) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error.message).toMatch(/^the build failed \(exit code 1\):\n[\s\S]*Error: no space left/);
  });

  test('a cancelled run stops the command at once and says so', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const lines: string[] = [];
    const onLine = (line: string) => {
      lines.push(line);
      controller.abort();
    };
    const running = runChecked(run, 'buildah build', 'sh', ['-c', 'echo STEP 1/9; sleep 30'], {
      signal: controller.signal,
      onLine,
    });

    await expect(running).rejects.toThrow(/^Cancelled: stopped buildah build\.$/);
    expect(lines).toEqual(['STEP 1/9']);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(runChecked(run, 'buildah push', 'true', [], { signal: controller.signal })).rejects.toThrow(
      'Cancelled: stopped buildah push.',
    );
  });

  test('redact replaces every occurrence and ignores empty secrets', () => {
    expect(redact('a-s-a-s', ['s', ''])).toBe('a-***-a-***');
  });
});
