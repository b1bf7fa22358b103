// Writes THIRD-PARTY-NOTICES.md from what the build really bundled: every npm package whose code is in a dist/ file
// (from the bundler's module list), with its licence, source and licence text, and the native libraries compiled
// into the WebAssembly those packages carry. Called by scripts/build.mjs.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The GNU licences' texts, for the LGPL components (whose packages do not carry them). */
const GNU_TEXTS = {
  'LGPL-2.0-or-later': 'https://www.gnu.org/licenses/old-licenses/lgpl-2.0.txt',
  'LGPL-2.1-or-later': 'https://www.gnu.org/licenses/old-licenses/lgpl-2.1.txt',
  'LGPL-3.0': 'https://www.gnu.org/licenses/lgpl-3.0.txt',
};
const gnuText = (license) => (GNU_TEXTS[license] ? ` Licence text: ${GNU_TEXTS[license]}.` : '');

/** Libraries inside the packages' WebAssembly, which no package.json names. */
const EMBEDDED = [
  {
    name: 'LAME 3.100',
    license: 'LGPL-2.0-or-later',
    source: 'https://lame.sourceforge.io (compiled to WebAssembly by wasm-media-encoders: https://github.com/arseneyr/wasm-media-encoders)',
    files: ['dist/runtime/codecs/lame.wasm'],
  },
  {
    name: "FFmpeg's AAC encoder (libavcodec)",
    license: 'LGPL-2.1-or-later',
    source: 'https://ffmpeg.org (compiled to WebAssembly by @mediabunny/aac-encoder: https://github.com/Vanilagy/mediabunny/tree/main/packages/aac-encoder)',
    files: ['dist/runtime/codecs/aac-wasm.js'],
  },
  {
    name: 'libFLAC',
    license: 'BSD-3-Clause',
    source: 'https://github.com/xiph/flac (compiled to WebAssembly by @mediabunny/flac-encoder: https://github.com/Vanilagy/mediabunny/tree/main/packages/flac-encoder)',
    files: ['dist/runtime/codecs/flac-wasm.js'],
  },
  {
    name: 'RNNoise',
    license: 'BSD-3-Clause',
    source: 'https://github.com/xiph/rnnoise, licence text in its COPYING (compiled to WebAssembly by @jitsi/rnnoise-wasm: https://github.com/jitsi/rnnoise-wasm)',
    files: ['dist/runtime/codecs/rnnoise.wasm'],
  },
];

/** The package a module id belongs to ('@scope/name' or 'name'), or null for tapedeck's own modules. */
export function packageOf(id) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'));
  return match ? match[1] : null;
}

function licenseText(dir) {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return file ? readFileSync(join(dir, file), 'utf8').trim() : null;
}

/** Writes the notices for `usage` (package name → the dist files holding its code). */
export function writeNotices(root, usage) {
  const lines = [
    '# Third-party notices',
    '',
    'tapedeck (MIT, see LICENSE) ships code from the components below, each in the files named. This file is written',
    'by the build (scripts/third-party-notices.mjs) from what it bundled. The LGPL components (LAME, lamejs, FFmpeg)',
    "are files of their own that your app loads unmodified and a user may replace: see the README's Licences section.",
    '',
    '## Compiled into WebAssembly',
    '',
    ...EMBEDDED.map((e) => `- **${e.name}** — ${e.license}. Source: ${e.source}. In ${e.files.map((f) => `\`${f}\``).join(', ')}.${gnuText(e.license)}`),
    '',
    '## npm packages',
    '',
  ];
  const texts = [];
  for (const name of [...usage.keys()].sort()) {
    const dir = join(root, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const repository = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? pkg.homepage ?? `https://www.npmjs.com/package/${name}`);
    const files = [...usage.get(name)].sort().map((f) => `\`${f}\``).join(', ');
    // Some packages still name theirs in the old `licenses` array (@jitsi/rnnoise-wasm).
    const license = pkg.license ?? pkg.licenses?.map((l) => l.type).join(' OR ');
    lines.push(`- **${name}** ${pkg.version} — ${license ?? 'see its licence text'}. Source: ${repository.replace(/^git\+/, '')}. In ${files}.${gnuText(license)}`);
    const text = existsSync(dir) ? licenseText(dir) : null;
    if (text) texts.push(`### ${name} ${pkg.version}`, '', '```text', text, '```', '');
  }
  lines.push('', '## Licence texts', '', ...texts);
  writeFileSync(join(root, 'THIRD-PARTY-NOTICES.md'), `${lines.join('\n').trimEnd()}\n`);
}
