/** Blob URLs made for recordings, kept so that they can be revoked: one by one, or all at once (dispose). */
export class UrlLedger {
  private readonly urls = new Set<string>();

  /** A new Blob URL of `blob`, kept until revoked. */
  create(blob: Blob): string {
    const url = URL.createObjectURL(blob);
    this.urls.add(url);
    return url;
  }

  /** Revokes `url` (if this ledger made it). */
  revoke(url: string): void {
    if (this.urls.delete(url)) URL.revokeObjectURL(url);
  }

  /** Revokes every URL this ledger made. */
  revokeAll(): void {
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls.clear();
  }
}
