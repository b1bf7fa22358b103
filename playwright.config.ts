import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { findChromium, HEADLESS_ARGS } from './scripts/chromium.mjs';
import { fakeMicrophoneArgs, writeMediaFixtures } from './tests/support/fake-microphone';
import { OTHER_ORIGIN_PORT, PORT } from './tests/support/ports';

const chromium = findChromium();
writeMediaFixtures(fileURLToPath(new URL('./tests/.generated', import.meta.url)));

export default defineConfig({
  testDir: 'tests/browser',
  outputDir: 'test-results',
  // One worker: the fake microphone runs in real time and the tests time takes against the page clock.
  // Two browsers on two cores made message delivery to the audio thread jitter by up to ~70 ms.
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
});
