// Makes sure the browser tests have a Chromium: Playwright's own, the system's, or (as root on Debian/Ubuntu)
// Debian's `chromium` package, installed here. Otherwise says what to install and fails.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

let found = findChromium();
if (!found && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('No Chromium found: installing Debian\'s chromium package (apt-get)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  found = findChromium();
}
if (!found) {
  console.error(
    'The browser tests need Chromium and none was found. Install one of:\n' +
      '  npx playwright install chromium        (Playwright\'s own build)\n' +
      '  sudo apt-get install chromium          (Debian / Ubuntu)\n' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
  process.exit(1);
}
console.log(`Browser tests use Chromium: ${found.source}`);
