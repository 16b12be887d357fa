import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { skipReason, startRegistry, type RunningRegistry } from './registry.js';

describe('skipReason', () => {
  test('names the missing tools, and turns into an error when CI requires real tools', () => {
    const required = process.env.REQUIRE_REAL_TOOLS;
    try {
      delete process.env.REQUIRE_REAL_TOOLS;
      expect(skipReason(['sh', 'no-such-tool-4f2a'])).toBe(
        'no-such-tool-4f2a not installed (run .ci/setup-image-tools.sh)',
      );
      expect(skipReason(['sh'])).toBeUndefined();
      process.env.REQUIRE_REAL_TOOLS = '1';
      expect(() => skipReason(['no-such-tool-4f2a'])).toThrow(
        /REQUIRE_REAL_TOOLS=1 but no-such-tool-4f2a not installed/,
      );
    } finally {
      if (required === undefined) delete process.env.REQUIRE_REAL_TOOLS;
      else process.env.REQUIRE_REAL_TOOLS = required;
    }
  });
});

const reason = skipReason(['docker-registry', 'htpasswd']);

(reason ? describe.skip : describe)(`startRegistry${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let registry: RunningRegistry;
  const get = (password?: string) =>
    fetch(`http://${registry.host}/v2/`, {
      headers: password ? { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` } : {},
    }).then((response) => response.status);

  beforeAll(async () => {
    registry = await startRegistry({ user: 'AWS', password: 'right' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  test('serves on loopback and lets in only the right password', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await get('right')).toBe(200);
    expect(await get('wrong')).toBe(401);
    expect(await get()).toBe(401);
  });
});
