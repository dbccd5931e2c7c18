// Lint: typescript-eslint with type information (recommended, floating promises, unsafe `any`),
// and the layers of src/ (docs: README, "The code").
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeOnlyAtTheEdge = {
  paths: [
    {
      name: 'vscode',
      message:
        'Only src/extension/vscode/ (and the entry point) talks to VS Code; take a port from src/extension/ports.ts.',
    },
  ],
};

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
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/extension/vscode/**', 'src/extension/extension.ts'],
    rules: { 'no-restricted-imports': ['error', vscodeOnlyAtTheEdge] },
  },
  {
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
);
