import type { Server } from 'node:http';

/**
 * Serves `root` on `port` (0: any free port); with `cors: true` every response allows any origin (a CDN);
 * `onServed(path)` hears of every file served.
 */
export function startStaticServer(options: { root: string; port?: number; cors?: boolean; onServed?: (path: string) => void }): Promise<{ server: Server; origin: string }>;
