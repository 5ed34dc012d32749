import nx from '@nx/eslint-plugin';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import simpleImportSort from 'eslint-plugin-simple-import-sort';

const persistenceAndTransport = ['typeorm', 'pg', 'kafkajs', 'graphql', 'graphql-tag', '@apollo/*', 'express', 'dataloader', 'jose'];

const depConstraints = [
  // Domain code is plain TypeScript: no persistence, transport or API framework.
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: persistenceAndTransport },
  {
    sourceTag: 'type:contract',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contract'],
    bannedExternalImports: ['typeorm', 'pg', 'kafkajs', '@apollo/*', 'express'],
  },
  { sourceTag: 'type:kit', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:kit'] },
  { sourceTag: 'type:dev-infra', onlyDependOnLibsWithTags: ['type:dev-infra'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:kit', 'type:dev-infra', 'type:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:kit'] },
  // The web app is a client of the graph like any frontend team's: it imports no library of the back end.
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:kit', 'type:dev-infra', 'type:testing'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:kit', 'type:dev-infra', 'type:testing'] },
  // A service never imports another service's code; shared code is scope:shared.
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:lead', onlyDependOnLibsWithTags: ['scope:lead', 'scope:shared'] },
  { sourceTag: 'scope:opportunity', onlyDependOnLibsWithTags: ['scope:opportunity', 'scope:shared'] },
  { sourceTag: 'scope:deal', onlyDependOnLibsWithTags: ['scope:deal', 'scope:shared'] },
  { sourceTag: 'scope:analytics', onlyDependOnLibsWithTags: ['scope:analytics', 'scope:shared'] },
  { sourceTag: 'scope:engagement', onlyDependOnLibsWithTags: ['scope:engagement', 'scope:shared'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web'] },
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
];

// Tests use the test infrastructure; production code of apps and kits never does.
const specConstraints = depConstraints.map((constraint) =>
  constraint.sourceTag === 'type:kit' || constraint.sourceTag === 'type:app'
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing', 'type:dev-infra'] }
    : constraint,
);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/generated/**',
      '.local/**',
      '.nx/**',
      'tmp/**',
      'coverage/**',
      '**/jest.config.js',
      '**/jest.integration.config.js',
      'jest.preset.js',
      '**/*global-setup.js',
      '**/*global-teardown.js',
    ],
  },
  {
    // One import order everywhere (packages, then @pipeline libraries, then relative), fixed by eslint --fix.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.mts'],
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: { 'simple-import-sort/imports': 'error', 'simple-import-sort/exports': 'error' },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-support.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: specConstraints }],
    },
  },
  {
    // React: the rules of hooks, and accessibility checked while writing (axe checks the rendered pages in the browser tests).
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: { ...reactHooks.configs.recommended.rules, ...jsxA11y.flatConfigs.recommended.rules },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Interfaces (loggers, adapters) may need methods that deliberately do nothing.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['methods'] }],
    },
  },
  {
    // GraphQL responses in tests are loosely typed on purpose: the assertions say what the shape must be.
    files: [
      '**/*.spec.ts',
      '**/test-support.ts',
      'apps/e2e/**/*.ts',
      'apps/web-e2e/**/*.ts',
      'apps/faults/**/*.ts',
      'libs/testing/**/*.ts',
      'libs/test-infra/**/*.ts',
      'tools/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // A service's domain folder holds its rules as plain TypeScript, like libs/domain.
    files: ['apps/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: persistenceAndTransport, message: 'Domain code stays free of persistence, transport and API frameworks.' }] },
      ],
    },
  },
];
