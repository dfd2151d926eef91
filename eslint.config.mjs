// Lint: typescript-eslint with type information. Beyond the recommended rules, the type-aware
// ones that catch what review keeps missing: promises nobody awaits, switches that forget a case
// of a union, and (in src/core) conditions the types say are always true or always false.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', 'media/**', 'demo/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // A variable read by a callback before its one assignment cannot be const.
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
      // Terminal output, git's and the redaction rules' patterns match control characters on purpose.
      'no-control-regex': 'off',
      // Escapes such as `\/` and `\[` keep the secret and URL patterns readable; they change nothing.
      'no-useless-escape': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // `import vscode = require('vscode')` on the capture path (src/capture, src/workspace): the
      // bundler turns `import * as vscode` of an external module into an object of getters, one
      // closure call per `vscode.x` on every keystroke. UI code keeps `import * as vscode`: the
      // l10n extractor (@vscode/l10n-dev) finds `vscode.l10n.t` calls only through that form.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^vscode$'] }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Where practical: core's types are exact. Capture and UI code sets flags from callbacks and
    // awaits, which the rule cannot follow; tests assert what the types already claim.
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'error' },
  },
  {
    // Only the redactor makes redacted values (src/core/redact/redacted.ts): a cast anywhere else
    // would let raw text reach the store with the type saying it is redacted.
    files: ['**/*.ts'],
    ignores: ['src/core/redact/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: ':matches(TSAsExpression, TSTypeAssertion) > TSTypeReference.typeAnnotation[typeName.name=/^Redacted/]',
          message: 'Only src/core/redact makes redacted values: call the redactor (Redactor, DocumentRedaction) instead of casting.',
        },
        {
          selector: ':matches(TSAsExpression, TSTypeAssertion) > .typeAnnotation TSTypeReference[typeName.name=/^Redacted/]',
          message: 'Only src/core/redact makes redacted values: call the redactor (Redactor, DocumentRedaction) instead of casting.',
        },
      ],
    },
  },
  {
    // The rule sources are fingerprinted (redact/version.ts): a style-only edit would read as a rule change.
    files: ['src/core/redact/rules/**/*.ts'],
    rules: { 'prefer-const': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
