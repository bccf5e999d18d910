/**
 * Text files attached to a message (Slack snippets and uploads, Discord attachments): which are read and
 * how much of each. SDK-free; each adapter fetches with its own credentials and hands the text on.
 */

/** Extensions read as text; binary uploads (images, archives) are left alone. */
const TEXT_EXTENSIONS = /\.(log|txt|out|err|trace|text|json|ya?ml|csv|md)$/i;

/** Whether an attachment is text the bot should read as part of the paste. */
export function isTextFile(f: { name: string; mimetype?: string | null; snippet?: boolean }): boolean {
  if (f.snippet) return true;
  if (TEXT_EXTENSIONS.test(f.name)) return true;
  const mime = (f.mimetype ?? '').toLowerCase();
  return mime.startsWith('text/') || mime === 'application/json';
}

/**
 * The start of a download, decoded as UTF-8: at most `maxBytes + 1` bytes, so that a file over the paste
 * cap still reaches the engine one byte over it and the reply says the paste was cut, without holding a
 * large upload in memory.
 */
export async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.ok) throw new Error(`download failed: HTTP ${res.status}`);
  const limit = maxBytes + 1;
  const body = res.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, limit - total);
      chunks.push(take);
      total += take.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The message's own text followed by each file's text, the way a person would paste them. */
export function withFiles(text: string, files: readonly string[]): string {
  return [text, ...files].filter((t) => t.trim()).join('\n');
}
