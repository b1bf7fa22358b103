// Finds a Chromium for the browser tests: Playwright's own if installed, else the system's.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags for headless Chromium on a machine without a GPU or outside network (and as root, without a sandbox). */
export const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** { executablePath, source } of the Chromium to use, or null when there is none. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH) {
    return existsSync(process.env.CHROMIUM_PATH) ? { executablePath: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' } : null;
  }
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { executablePath: undefined, source: `Playwright's own (${own})` };
  } catch {
    // Playwright has no browser of its own here.
  }
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  return system ? { executablePath: system, source: system } : null;
}
