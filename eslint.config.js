// ESLint flat config: LWC bundles with Salesforce's LWC rules, everything else with
// typescript-eslint. The import-restriction blocks keep DESIGN.md's layering true.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const lwcConfig = require('@salesforce/eslint-config-lwc');
const globals = require('globals');

const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

module.exports = [
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '.data/**',
      '.sfdx/**',
      '.sf/**',
      'force-app/**/staticresources/**',
    ],
  },
  {
    files: ['*.js', 'bin/**/*.js', '.ci/**/*.js'],
    ...js.configs.recommended,
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  ...lwcConfig.configs.recommended.map((c) => ({
    ...c,
    files: ['force-app/**/lwc/**/*.js', 'force-app/test/**/*.js'],
  })),
  // The local preview's browser modules (shell, shims behind lightning/*) and the test-only bundle
  // that drives the shims are LWC-compiled like the bundles.
  ...lwcConfig.configs.recommended.map((c) => ({
    ...c,
    files: ['preview/**/*.js', '__tests__/preview/fixtures/lwc/**/*.js'],
  })),
  {
    // The preview shell is the page around the components, not a component: it owns the document.
    files: ['preview/app/**/*.js'],
    rules: { '@lwc/lwc/no-document-query': 'off', '@lwc/lwc/no-async-operation': 'off' },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    // Tests drive wire adapters directly (getRecord.emit), as lwc-recipes does.
    rules: { '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
  },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Configuration is parsed once, in server/src/config; nothing else reads the environment.
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read configuration through server/src/config' },
      ],
    },
  },
  // domain/: pure rules, no I/O, nothing from the rest of the server.
  layer(
    ['server/src/domain/**/*.ts'],
    [
      {
        group: [
          '../app/**',
          '../crm/**',
          '../store/**',
          '../jobs/**',
          '../http/**',
          '../cli/**',
          '../config/**',
          '../../app/**',
          '../../crm/**',
          '../../store/**',
          '../../jobs/**',
          '../../http/**',
          '../../cli/**',
          '../../config/**',
        ],
        message: 'domain/ imports nothing from the rest of the server',
      },
      {
        group: ['node:fs', 'fs', 'node:net', 'node:http', 'jsforce', 'better-sqlite3', 'express'],
        message: 'domain/ does no I/O',
      },
      { group: ['**/emulator/**'], message: 'the server talks to the embedded org over HTTP only' },
    ],
  ),
  // Only crm/ knows jsforce; only the CLI composition root may load the embedded org in-process.
  layer(
    [
      'server/src/app/**/*.ts',
      'server/src/store/**/*.ts',
      'server/src/jobs/**/*.ts',
      'server/src/http/**/*.ts',
      'server/src/config/**/*.ts',
      'server/src/shared/**/*.ts',
    ],
    [
      { group: ['jsforce', 'jsforce/*'], message: 'only server/src/crm knows jsforce and Salesforce names' },
      { group: ['**/emulator/**'], message: 'the server talks to the embedded org over HTTP only' },
    ],
  ),
  layer(
    ['server/src/crm/**/*.ts'],
    [{ group: ['**/emulator/**'], message: 'the server talks to the embedded org over HTTP only' }],
  ),
  layer(
    ['emulator/src/**/*.ts'],
    [{ group: ['**/server/src/**'], message: 'the embedded org knows nothing of the server' }],
  ),
];
