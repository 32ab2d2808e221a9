// Lint: the recommended TypeScript rules, type-aware where they catch real bugs (floating
// promises, misused promises), formatting left to prettier.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // generated files: openapi/ (npm run openapi), the GraphQL resolver types (npm run graphql:types)
  // and GraphiQL's browser bundle (npm run build:graphiql)
  {
    ignores: [
      'node_modules/**',
      '.tap/**',
      'coverage/**',
      'openapi/**',
      'plugins/graphql/resolver-types.ts',
      'plugins/graphql/graphiql-web/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // the CLI's launcher is plain JavaScript for Node (cli/ holds the TypeScript)
    files: ['bin/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
  {
    // the console's browser modules: tsc checks their names against the DOM's (npm run typecheck)
    files: ['plugins/console/web/**/*.js'],
    rules: { 'no-undef': 'off' },
  },
  {
    // GraphiQL's page script, bundled by vite for the browser
    files: ['plugins/graphql/graphiql-web/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', URL: 'readonly' } },
  },
  {
    // tap's test() returns a promise that tap itself awaits
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
)
