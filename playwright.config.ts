import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 5188);

/**
 * E2E runs Debian's Chromium (never a downloaded browser) against the built server on a
 * fresh SQLite data directory, exactly as `npm start` would serve it.
 */
export default defineConfig({
  testDir: 'e2e/specs',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `rm -rf e2e/.data && node bin/runstudio.mjs serve --port ${port} --data e2e/.data`,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The e2e server checks every response against the endpoint table, as the unit tests do.
    env: { NODE_ENV: 'test' },
  },
});
