// Lint: typescript-eslint with type information (recommended, floating promises, unsafe `any`),
// the 120-column line (prettier formats code; comments are wrapped by hand), and the layers of
// src/ as the README's "Development" section draws them: an import never runs back up a layer.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_IO = [
  'node:net',
  'node:tls',
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:http',
  'node:https',
];
const VSCODE = { name: 'vscode', message: 'Only src/extension/vscode/ and the entry point talk to VS Code.' };
const io = (why) => NODE_IO.map((name) => ({ name, message: why }));
const layers = (group, why) => ({ group, message: why });

/** Each layer with what it may not import. */
const LAYERS = [
  {
    files: ['src/protocol/**/*.ts'],
    paths: [VSCODE, ...io('src/protocol is wire formats without I/O.')],
    patterns: [
      layers(
        ['**/server', '**/server/**', '**/client', '**/client/**', '**/cli/**', '**/extension/**', '**/webview/**'],
        'src/protocol imports only src/protocol.',
      ),
    ],
  },
  {
    files: ['src/client/**/*.ts'],
    paths: [VSCODE],
    patterns: [
      layers(
        ['**/server', '**/server/**', '**/cli/**', '**/extension/**', '**/webview/**'],
        'src/client builds on src/protocol only.',
      ),
    ],
  },
  {
    files: ['src/server/**/*.ts'],
    paths: [VSCODE],
    patterns: [
      layers(
        ['**/client', '**/client/**', '**/cli/**', '**/extension/**', '**/webview/**'],
        'src/server builds on src/protocol only.',
      ),
    ],
  },
  {
    files: ['src/cli/**/*.ts'],
    paths: [VSCODE],
    patterns: [
      layers(['**/extension/**', '**/webview/**'], 'The command line does not use the extension or the webview.'),
    ],
  },
  {
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/vscode/**', 'src/extension/extension.ts'],
    paths: [VSCODE],
    patterns: [
      layers(
        ['**/cli/**', '**/webview/**', '**/vscode/**'],
        "The extension's parts stay free of VS Code and the webview; the vscode/ edge uses them, not the reverse.",
      ),
    ],
  },
  {
    files: ['src/webview/**/*.ts'],
    paths: [VSCODE, ...io('The webview runs in a browser.')],
    patterns: [
      layers(
        ['**/server', '**/server/**', '**/client', '**/client/**', '**/cli/**', '**/extension/**'],
        'The webview talks to the extension by messages (src/protocol/panel.ts) only.',
      ),
      layers(['node:*'], 'The webview runs in a browser.'),
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.cache/', 'test-results/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.webview.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs what test() and describe() register; their promises are its to await.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Strings stay whole so that translations and test titles can be found by search.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    // Test doubles implement the product's async ports with plain values.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  // A file a newcomer can read in one sitting; past this, it holds more than one concern.
  { files: ['src/**/*.ts'], rules: { 'max-lines': ['error', { max: 400 }] } },
  ...LAYERS.map(({ files, ignores, paths, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  })),
  {
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly' } },
  },
);
