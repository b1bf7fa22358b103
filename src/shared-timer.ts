/** One setInterval per period, shared by every check of that period (a page may watch dozens of tracks). */
const timers = new Map<number, { checks: Set<() => void>; id: ReturnType<typeof setInterval> }>();

/** Runs `check` every `periodMs` on a timer shared with the other checks of that period; returns the canceller. */
export function everyInterval(periodMs: number, check: () => void): () => void {
  let timer = timers.get(periodMs);
  if (!timer) {
    const checks = new Set<() => void>();
    timer = { checks, id: setInterval(() => checks.forEach((f) => f()), periodMs) };
    timers.set(periodMs, timer);
  }
  timer.checks.add(check);
  const shared = timer;
  return () => {
    if (!shared.checks.delete(check) || shared.checks.size > 0) return;
    clearInterval(shared.id);
    if (timers.get(periodMs) === shared) timers.delete(periodMs);
  };
}
