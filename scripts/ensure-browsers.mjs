// Makes sure the tests have what they drive: node scripts/ensure-browsers.mjs chromium firefox webkit ffmpeg espeak.
// Chromium: Playwright's own, the system's, or CHROMIUM_PATH. The rest are Debian packages (firefox-esr;
// webkit2gtk-driver + xvfb for WebKitGTK's MiniBrowser; ffmpeg, the tests' independent decoder). As root on
// Debian/Ubuntu the missing ones are installed with apt-get; otherwise this says what to install and fails.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

const NEEDS = {
  chromium: { present: () => findChromium() !== null, packages: ['chromium'] },
  firefox: { present: () => existsSync('/usr/bin/firefox-esr') || existsSync('/usr/bin/firefox'), packages: ['firefox-esr'] },
  webkit: { present: () => existsSync('/usr/bin/WebKitWebDriver') && existsSync('/usr/bin/Xvfb'), packages: ['webkit2gtk-driver', 'xvfb'] },
  ffmpeg: { present: () => existsSync('/usr/bin/ffmpeg') && existsSync('/usr/bin/ffprobe'), packages: ['ffmpeg'] },
  espeak: { present: () => existsSync('/usr/bin/espeak-ng'), packages: ['espeak-ng'] },
};

const asked = process.argv.slice(2);
const missing = asked.filter((name) => !NEEDS[name].present());
if (missing.length > 0 && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  const packages = missing.flatMap((name) => NEEDS[name].packages);
  console.log(`Installing ${packages.join(', ')} (apt-get)…`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')} >/dev/null`, { stdio: 'inherit' });
}
const still = asked.filter((name) => !NEEDS[name].present());
if (still.length > 0) {
  console.error(
    `The tests need ${still.join(', ')}. Install: sudo apt-get install ${still.flatMap((name) => NEEDS[name].packages).join(' ')}` +
      (still.includes('chromium') ? "\n(or `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome)" : ''),
  );
  process.exit(1);
}
if (asked.includes('chromium')) console.log(`Browser tests use Chromium: ${findChromium().source}`);
