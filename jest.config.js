// The project is ESM end to end (@actions/core 3 and @actions/github 9 ship only as ESM), so jest
// runs in its native ESM mode (NODE_OPTIONS=--experimental-vm-modules, see package.json) and swc
// strips the types without changing the module format.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/action'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  // Sources import siblings as './x.js' (NodeNext); jest resolves them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  // The default summary counts skipped tests; this one says why (a missing buildah, say).
  reporters: ['default', '<rootDir>/action/test-support/skip-reasons-reporter.js'],
};
