import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `node` runs the server, CLI and shared tests against real databases;
 * `web` runs the React app's tests in jsdom, each file against a real server it starts
 * itself (src/web/test-support). Coverage is measured over src/web only: the server's
 * figure comes from its own suite, and `npm test` prints this one.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          exclude: ['src/web/**', '**/node_modules/**'],
          globalSetup: ['src/server/test-support/global-setup.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/web/**/*.test.ts', 'src/web/**/*.test.tsx'],
          setupFiles: ['src/web/test-support/setup.ts'],
          // A web test waits on the UI (findBy…, waitFor), never on fixed sleeps; these bound a stuck one.
          testTimeout: 30_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/web/**/*.{ts,tsx}'],
      exclude: ['src/web/**/*.test.{ts,tsx}', 'src/web/test-support/**', 'src/web/vite-env.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      // The figure is printed even when a test fails, so a red run still says where coverage stands.
      reportOnFailure: true,
      reportsDirectory: 'coverage',
      thresholds: { lines: 70 },
    },
  },
});
