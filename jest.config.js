// One config, two projects: `lwc` (sfdx-lwc-jest's preset, for the bundles in force-app) and
// `node` (server, emulator and cross-boundary tests, TypeScript through SWC).
const { jestConfig: lwcConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  // A global option: jest ignores testTimeout inside a project.
  testTimeout: 60_000,
  projects: [
    {
      ...lwcConfig,
      displayName: 'lwc',
      rootDir: __dirname,
      roots: ['<rootDir>/force-app'],
      modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
    {
      displayName: 'node',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/__tests__', '<rootDir>/server', '<rootDir>/emulator'],
      testMatch: ['**/*.test.ts'],
      transform: {
        '^.+\\.ts$': [
          '@swc/jest',
          { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
        ],
      },
      setupFiles: ['<rootDir>/__tests__/helpers/env.ts'],
    },
  ],
};
