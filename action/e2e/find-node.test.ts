// The Node 20 suite must run a Node 20, not whatever `node` comes first on PATH.
import { describe, expect, it } from '@jest/globals';
import { findNode, nodeVersion } from './run-action.js';

describe('findNode', () => {
  it('finds a binary of the asked major, or nothing', () => {
    const node20 = findNode(20);
    if (node20) expect(nodeVersion(node20)).toMatch(/^v20\./);
    expect(findNode(7)).toBeUndefined();
  });

  it('refuses a NODE<major>_BINARY of another major', () => {
    process.env.NODE99_BINARY = process.execPath;
    try {
      expect(findNode(99)).toBeUndefined();
    } finally {
      delete process.env.NODE99_BINARY;
    }
  });
});
