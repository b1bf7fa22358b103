/** { executablePath, source } of the Chromium to use (executablePath undefined: Playwright's own), or null when there is none. */
export function findChromium(): { executablePath: string | undefined; source: string } | null;
