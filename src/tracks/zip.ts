/** A file to put in a zip. */
export interface ZipEntry {
  path: string;
  blob: Blob;
  /** Epoch ms, the entry's modification time. */
  modified: number;
}

/**
 * One zip of `entries`, laid out by path. Stored, not compressed (the audio and video are compressed already), and
 * streamed Blob by Blob with fflate, so a large session never sits in one buffer or blocks the page for long.
 */
export async function zipFiles(entries: readonly ZipEntry[]): Promise<Blob> {
  const { Zip, ZipPassThrough } = await import('fflate');
  const parts: Uint8Array[] = [];
  let zip!: InstanceType<typeof Zip>;
  const finished = new Promise<void>((resolve, reject) => {
    zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      parts.push(chunk);
      if (final) resolve();
    });
  });
  for (const { path, blob, modified } of entries) {
    const entry = new ZipPassThrough(path);
    entry.mtime = modified;
    zip.add(entry);
    const reader = blob.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      entry.push(value, false);
    }
    entry.push(new Uint8Array(0), true);
  }
  zip.end();
  await finished;
  return new Blob(parts as BlobPart[], { type: 'application/zip' });
}
