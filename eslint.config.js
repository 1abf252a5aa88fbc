// ESLint for the whole package: type-aware typescript-eslint everywhere, React's hook rules
// in src/web, and import rules that keep the layers of STYLE.md apart (shared ← server/web/cli,
// web ↛ server/cli, one web feature ↛ another) and forbid import cycles.
// `npm run lint` runs it with --max-warnings 0, so every rule here is an error in practice.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const featuresDir = 'src/web/features';
const features = readdirSync(join(import.meta.dirname, featuresDir), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const sharedZone = {
  target: './src/shared',
  from: ['./src/server', './src/web', './src/cli'],
  message: 'src/shared is imported by server, web and CLI; it imports none of them.',
};
const webZone = {
  target: './src/web',
  from: ['./src/server', './src/cli'],
  message: 'The web app talks to the server over HTTP only; share code through src/shared.',
};
// One zone per feature: it may import from its own folder, never from a sibling.
const featureZones = features.map((feature) => ({
  target: `./${featuresDir}/${feature}`,
  from: `./${featuresDir}`,
  except: [`./${feature}`],
  message: 'A feature does not import another feature; move what both need to src/web/components or src/web/lib.',
}));

/**
 * A disable directive must name its rules and say why, after ` -- ` on the same comment:
 * `// eslint-disable-next-line react-hooks/exhaustive-deps -- runs once on mount by design`.
 * ESLint itself (reportUnusedDisableDirectives below) reports directives that suppress nothing;
 * this rule covers the "reason" half, which ESLint has no built-in option for.
 * @type {import('eslint').Rule.RuleModule}
 */
const disableNeedsReason = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Require rule names and a `-- reason` on every eslint-disable comment' },
    schema: [],
    messages: {
      noRules: 'Line {{line}}: name the rule(s) this eslint-disable comment turns off.',
      noReason: 'Line {{line}}: say why on the same comment: `eslint-disable… rule -- reason`.',
    },
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const match = /^\s*eslint-disable(?:-next-line|-line)?(?=\s|$)(.*)$/s.exec(comment.value);
          if (!match) continue;
          const [rules = '', ...reasonParts] = (match[1] ?? '').split(/\s--\s|\s--$/);
          const reason = reasonParts.join(' -- ').trim();
          const messageId = rules.trim() === '' ? 'noRules' : reason === '' ? 'noReason' : null;
          if (!messageId) continue;
          // Reported at the start of the file, not on the comment: a report on the comment
          // would be silenced by the very directive it is about (`/* eslint-disable */`,
          // `eslint-disable-line`). The message names the comment's line. One gap remains: a
          // rule-less `/* eslint-disable */` as the very first characters of a file silences
          // everything from 1:1 on, this report included.
          const line = String(comment.loc?.start.line ?? 1);
          context.report({ loc: { line: 1, column: 0 }, messageId, data: { line } });
        }
      },
    };
  },
};

/** Issue 10: no query key typed by hand in the web. */
const queryKeyRule = { selector: "Property[key.name='queryKey'] > ArrayExpression", message: 'Take query keys from src/web/lib/query-keys.ts, not an array typed here.' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      'runstudio-data/**',
      'bench/.data/**',
      'e2e/.data/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { local: { rules: { 'disable-needs-reason': disableNeedsReason } } },
    rules: { 'local/disable-needs-reason': 'error' },
  },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // The few plain .mjs scripts and this file sit outside tsconfig.json; they get
          // TypeScript's default project so the type-aware rules still run on them.
          allowDefaultProject: ['bin/*.mjs', 'src/cli/launcher/fixtures/*.mjs', 'eslint.config.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Named in issue 10: a dropped promise is a silent failure (STYLE habit 6: no `void`).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
      // From strictTypeChecked, picked because they catch bugs rather than taste.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Fastify (plugins, hooks) and Kysely (MigrationProvider) choose promise style by the
      // function returning a promise: `async` without `await` is how one opts in there.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Plain JavaScript: Node scripts. TypeScript does not check them, so name their globals.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' },
    },
  },

  // Imports: cycles anywhere in src, and the layer zones of STYLE.md.
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these two, import-x parses only .js dependencies and no-cycle sees no TS cycle.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      // Sources import each other as `./x.js` (nodenext); resolve those to the .ts/.tsx files.
      'import-x/resolver-next': [
        createNodeResolver({ extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: [sharedZone, webZone, ...featureZones] }],
    },
  },
  {
    // Web tests run the real server in-process (issue 10: "the real API client against a
    // real server"), so they, and only they, may import src/server; features stay apart.
    files: ['src/web/**/*.test.{ts,tsx}', 'src/web/test-support/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [sharedZone, ...featureZones] }],
    },
  },

  // React: the hook rules (and the React Compiler checks that v7's recommended set includes).
  {
    files: ['src/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      // Only says the React Compiler would skip a component that uses TanStack Table or
      // Virtual; we do not run the compiler, so there is nothing to act on.
      'react-hooks/incompatible-library': 'off',
      // Issue 10: query keys come from lib/query-keys.ts, never an array typed by hand.
      'no-restricted-syntax': ['error', queryKeyRule],
      // TanStack Router's API is `throw redirect(…)` / `throw notFound()`.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'package', package: '@tanstack/router-core', name: ['Redirect', 'NotFoundError'] }] },
      ],
    },
  },

  {
    // Issue 10: the app's code builds API paths from the endpoint table (api(), apiUrl(),
    // endpointPath()), never by hand. (The test seeding helpers and the client's own tests
    // in lib may name paths.)
    files: ['src/web/features/**/*.{ts,tsx}', 'src/web/app/**/*.{ts,tsx}', 'src/web/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        queryKeyRule,
        { selector: 'Literal[value=/^\\/(ajax-)?api\\//]', message: 'Build API paths from the endpoint table (api, apiUrl, endpointPath), not by hand.' },
        { selector: 'TemplateElement[value.raw=/^\\/(ajax-)?api\\//]', message: 'Build API paths from the endpoint table (api, apiUrl, endpointPath), not by hand.' },
      ],
    },
  },

  {
    // Tests: a few relaxations, each for a reason.
    files: ['**/*.test.{ts,tsx}', 'e2e/**/*.ts', 'src/**/test-support/**/*.{ts,tsx}'],
    rules: {
      // One relaxation, the unsafe-`any` family: JSON bodies from app.inject()/fetch() are
      // `any` (test-support types them `Record<string, any>`), and tests read and assert on
      // them directly (`res.body.runs.map(…)`) rather than declaring a type for every
      // response they look at. Everything else, no-floating-promises included, stays on.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
