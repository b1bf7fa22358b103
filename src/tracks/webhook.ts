/** A webhook delivery that failed for good. */
export interface WebhookFailure {
  /** The JSON that was to be delivered. */
  payload: unknown;
  /** The webhook URL. */
  url: string;
  /** How many times it was tried. */
  attempts: number;
  /** The last HTTP status, when the server answered. */
  status?: number;
  /** What went wrong the last time. */
  message: string;
}

/** How long one POST may take, in ms. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * POSTs JSON payloads to a webhook URL, one at a time and in order. A failed POST (network error, timeout, 5xx, 408,
 * 429) is retried after `backoffMs`, doubling, up to `retries` times; other 4xx are final. Never throws: failures are
 * handed to `onFailure`. Recording never waits for it.
 */
export class WebhookQueue {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly retries: number,
    private readonly backoffMs: number,
    private readonly onFailure: (failure: WebhookFailure) => void,
  ) {}

  /** Queues `payload`; resolves when it was delivered or given up on. */
  send(payload: unknown): Promise<void> {
    this.chain = this.chain.then(() => this.deliver(payload));
    return this.chain;
  }

  /** Resolves when everything queued so far was delivered or given up on. */
  settled(): Promise<void> {
    return this.chain;
  }

  private async deliver(payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    let status: number | undefined;
    let message = '';
    for (let attempt = 1; attempt <= this.retries + 1; attempt++) {
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.ok) return;
        status = response.status;
        message = `HTTP ${response.status} ${response.statusText}`.trim();
        const retryable = status >= 500 || status === 408 || status === 429;
        if (!retryable) return this.onFailure({ payload, url: this.url, attempts: attempt, status, message });
      } catch (error) {
        status = undefined;
        message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (attempt <= this.retries) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
    }
    this.onFailure({ payload, url: this.url, attempts: this.retries + 1, status, message });
  }
}
