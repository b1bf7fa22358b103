import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { findChromium } from './scripts/chromium.mjs';
import { fakeMicrophoneArgs } from './tests/support/fake-microphone';

const PORT = 4317;
const chromium = findChromium();

export default defineConfig({
  testDir: 'tests/browser',
  outputDir: 'test-results',
  // One worker: the fake microphone runs in real time and the tests time takes against the page clock.
  // Two browsers on two cores made message delivery to the audio thread jitter by up to ~70 ms.
  workers: 1,
  timeout: 60_000,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  webServer: {
    command: `node tests/support/serve.mjs ${PORT}`,
    url: `http://127.0.0.1:${PORT}/tests/browser/pages/harness.html`,
    reuseExistingServer: !process.env.CI,
  },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    // Permission is granted per context, so a test can open a context without it (permission-denied).
    permissions: ['microphone'],
    launchOptions: {
      executablePath: chromium?.executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...fakeMicrophoneArgs(fileURLToPath(new URL('./tests/.generated/fake-mic-440.wav', import.meta.url))),
      ],
    },
  },
});
