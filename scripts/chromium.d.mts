/** Flags for headless Chromium on a machine without a GPU or outside network (and as root, without a sandbox). */
export const HEADLESS_ARGS: string[];
/** { executablePath, source } of the Chromium to use (executablePath undefined: Playwright's own), or null when there is none. */
export function findChromium(): { executablePath: string | undefined; source: string } | null;
