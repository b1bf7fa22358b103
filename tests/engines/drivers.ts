/**
 * Firefox and WebKit for the engine tests, driven without Playwright's own browsers (which cannot be downloaded here):
 * Debian's firefox-esr over WebDriver BiDi (puppeteer-core), and WebKitGTK's MiniBrowser under WebKitWebDriver on an
 * Xvfb display. Both are set up with the testing kit's prefs and flags (src/testing/node.ts), as a user's tests
 * would be. Each gives the same small surface: open a page, run an async function in it, close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firefoxFakeMicrophonePrefs, webkitMockCaptureArgs } from '../../src/testing/node';

/** A browser the engine tests drive. */
export interface EngineDriver {
  readonly name: 'firefox' | 'webkit';
  /** Loads `url` and waits for its load event. */
  goto(url: string): Promise<void>;
  /**
   * Calls the page's `window[name](arg)` and resolves with its (JSON) result. Functions live in the page
   * (tests/engines/pages/take.js), not in the test: a function serialized from here carries the test runner's
   * transpiler helpers with it.
   */
  call<R>(name: string, arg?: unknown): Promise<R>;
  /** Ends the browser (and whatever it needed). */
  close(): Promise<void>;
  /** Kills the browser at once, as a crash would (its profile is kept for the next launch). */
  crash(): Promise<void>;
}

const FIREFOX = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => existsSync(path));
const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'].find((path) => existsSync(path));

/** Which engines this machine has (Debian: firefox-esr; webkit2gtk-driver and xvfb). */
export const ENGINES = {
  firefox: FIREFOX !== undefined,
  webkit: MINIBROWSER !== undefined && existsSync('/usr/bin/WebKitWebDriver') && existsSync('/usr/bin/Xvfb'),
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const expression = (name: string, arg: unknown) => `window[${JSON.stringify(name)}](${JSON.stringify(arg ?? null)})`;

/** Firefox ESR, headless, over WebDriver BiDi, its fake microphone at `microphoneHz`. `profile` keeps its storage (OPFS) across launches. */
export async function launchFirefox(
  microphoneHz: number,
  profile = mkdtempSync(join(tmpdir(), 'tapedeck-firefox-')),
): Promise<EngineDriver & { profile: string }> {
  if (!FIREFOX) throw new Error('Firefox is not installed: apt-get install firefox-esr');
  const { launch } = await import('puppeteer-core');
  const browser = await launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: { ...firefoxFakeMicrophonePrefs({ frequency: microphoneHz }), 'media.autoplay.default': 0 },
    protocolTimeout: 120_000,
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const process = browser.process();
  return {
    name: 'firefox',
    profile,
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    call: (name, arg) => page.evaluate(expression(name, arg)) as never,
    close: () => browser.close(),
    async crash() {
      process?.kill('SIGKILL');
      await new Promise((r) => (process && process.exitCode === null ? process.once('exit', r) : r(null)));
      await browser.disconnect().catch(() => undefined);
    },
  };
}

/** A minimal W3C WebDriver client: what the WebKit tests need of WebKitWebDriver. */
async function webdriver(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await response.json()) as { value: unknown };
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

/** WebKitGTK's MiniBrowser with mock capture devices, under WebKitWebDriver on its own Xvfb display. */
export async function launchWebKit(): Promise<EngineDriver> {
  if (!ENGINES.webkit) throw new Error('WebKitGTK is not installed: apt-get install webkit2gtk-driver xvfb');
  const children: ChildProcess[] = [];
  const display = `:${90 + Math.floor(Math.random() * 100)}`;
  children.push(spawn('/usr/bin/Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' }));
  const port = await freePort();
  children.push(spawn('/usr/bin/WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } }));
  const base = `http://127.0.0.1:${port}`;
  const stop = () => children.forEach((child) => child.kill('SIGKILL'));
  let session = '';
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/status`).then((r) => r.ok, () => false)) break;
      if (i > 100) throw new Error('WebKitWebDriver did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const created = (await webdriver(base, 'POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', ...webkitMockCaptureArgs(), '--autoplay-policy=allow'] } } },
    })) as { sessionId: string };
    session = created.sessionId;
  } catch (error) {
    stop();
    throw error;
  }
  const call = (method: string, path: string, body?: unknown) => webdriver(base, method, `/session/${session}${path}`, body);
  await call('POST', '/timeouts', { script: 120_000, pageLoad: 60_000 });
  return {
    name: 'webkit',
    goto: async (url) => void (await call('POST', '/url', { url })),
    async call(name, arg) {
      const script = `const done = arguments[arguments.length - 1]; Promise.resolve(${expression(name, arg)}).then((v) => done({ ok: true, v }), (e) => done({ ok: false, e: String(e && e.stack || e) }));`;
      const result = (await call('POST', '/execute/async', { script, args: [] })) as { ok: boolean; v?: never; e?: string };
      if (!result.ok) throw new Error(`in WebKit: ${result.e}`);
      return result.v as never;
    },
    async close() {
      await call('DELETE', '').catch(() => undefined);
      stop();
    },
    async crash() {
      stop();
    },
  };
}
