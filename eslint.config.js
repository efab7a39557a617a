// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The dependency direction of DESIGN.md: domain modules (core, market, der, grid, ledger) are pure.
 * They may import each other (downward) but never the engine, simulation, adapters, composition roots,
 * Node's I/O modules or a framework.
 */
export const DOMAIN_MODULES = ['core', 'market', 'der', 'grid', 'ledger'];
const OUTER_LAYERS = ['engine', 'sim', 'store', 'protocols', 'cli', 'server', 'web'];
const FORBIDDEN_IN_DOMAIN = [
  ...OUTER_LAYERS.flatMap((layer) => [`**/${layer}`, `**/${layer}/**`]),
  'node:*',
  'fs',
  'fs/*',
  'path',
  'http',
  'https',
  'net',
  'child_process',
  'worker_threads',
  'fastify',
  'fastify/*',
  '@fastify/*',
  'react',
  'react-dom',
  'kysely',
  'better-sqlite3',
  'pg',
  'mqtt',
  'aedes',
  'yaml',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'out/**', 'data/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: DOMAIN_MODULES.map((m) => `src/${m}/**/*.ts`),
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: FORBIDDEN_IN_DOMAIN,
              message:
                'Domain modules (core, market, der, grid, ledger) stay pure: no engine, sim, adapters, CLI, server, I/O or frameworks. See DESIGN.md "Architecture".',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Domain code reads no environment: take configuration as an argument.' },
        { name: 'fetch', message: 'Domain code does no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded generator passed in (core/random).' },
        { object: 'Date', property: 'now', message: 'Domain code reads no clock: take time as an argument.' },
        { object: 'performance', property: 'now', message: 'Domain code reads no clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Domain code reads no clock: take time as an argument.',
        },
      ],
    },
  },
);
