import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { findChromium, HEADLESS_ARGS } from './scripts/chromium.mjs';
import { fakeMicrophoneArgs, writeMediaFixtures } from './tests/support/fake-microphone';
import { OTHER_ORIGIN_PORT, PORT } from './tests/support/ports';

const chromium = findChromium();
writeMediaFixtures(fileURLToPath(new URL('./tests/.generated', import.meta.url)));

/**
 * Three projects, run one at a time (`--project`): `chromium`, the library's browser tests (tests/browser/, against
 * the repository's own build); `consumers`, the packed package in fresh apps built by each bundler (tests/consumers/);
 * `engines`, Firefox and WebKit (tests/engines/), which drive Debian's browsers themselves (tests/engines/drivers.ts):
 * Playwright cannot download its own Firefox and WebKit here.
 */
export default defineConfig({
  outputDir: 'test-results',
  // One worker: the fake microphone runs in real time, and two browsers on two cores starve the audio thread.
  workers: 1,
  timeout: 60_000,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  webServer: [PORT, OTHER_ORIGIN_PORT].map((port) => ({
    command: `node tests/support/serve.mjs ${port}`,
    url: `http://127.0.0.1:${port}/tests/browser/pages/harness.html`,
    reuseExistingServer: !process.env.CI,
  })),
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    // Permission is granted per context, so a test can open a context without it (permission-denied).
    permissions: ['microphone'],
    launchOptions: {
      executablePath: chromium?.executablePath,
      args: [
        ...HEADLESS_ARGS,
        // Test pages cannot click: let <audio> elements play without a user gesture.
        '--autoplay-policy=no-user-gesture-required',
        ...fakeMicrophoneArgs(fileURLToPath(new URL('./tests/.generated/fake-mic-440.wav', import.meta.url))),
      ],
    },
  },
  projects: [
    { name: 'chromium', testDir: 'tests/browser' },
    { name: 'consumers', testDir: 'tests/consumers' },
    { name: 'engines', testDir: 'tests/engines' },
  ],
});
