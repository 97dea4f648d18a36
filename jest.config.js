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
      // Shared LWC test mocks and helpers live once in force-app/test (not copied per bundle).
      moduleNameMapper: {
        '^lightning/graphql$': '<rootDir>/force-app/test/jest-mocks/lightning/graphql.js',
        '^lwcTestUtils$': '<rootDir>/force-app/test/lwcTestUtils.js',
      },
      setupFilesAfterEnv: [...lwcConfig.setupFilesAfterEnv, '<rootDir>/force-app/test/jest-sa11y-setup.js'],
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
