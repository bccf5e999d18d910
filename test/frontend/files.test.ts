import { describe, expect, it } from 'vitest';
import { isTextFile, readCapped, withFiles } from '../../src/frontend/files.js';

/** A download of `total` bytes in 64 KiB chunks that counts how many bytes were pulled from it. */
function download(total: number): { res: Response; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(64 * 1024, total - sent);
      sent += n;
      c.enqueue(new Uint8Array(n).fill(0x61));
    },
  });
  return { res: new Response(stream), pulled: () => sent };
}

describe('text files as pastes', () => {
  it('reads one byte past the cap, so the engine sees the paste was cut, and stops pulling the download', async () => {
    const d = download(2 * 1024 * 1024);
    const text = await readCapped(d.res, 256 * 1024);
    expect(text.length).toBe(256 * 1024 + 1);
    expect(d.pulled()).toBeLessThan(512 * 1024);
  });

  it('reads a file under the cap whole', async () => {
    expect((await readCapped(download(1000).res, 256 * 1024)).length).toBe(1000);
  });

  it('refuses an HTTP error rather than reading its page as a paste', async () => {
    await expect(readCapped(new Response('<html>sign in</html>', { status: 403 }), 1024)).rejects.toThrow(
      /HTTP 403/,
    );
  });

  it('reads logs, text and snippets, not images', () => {
    expect(isTextFile({ name: 'api.log' })).toBe(true);
    expect(isTextFile({ name: 'message.txt' })).toBe(true);
    expect(isTextFile({ name: 'Untitled', snippet: true })).toBe(true);
    expect(isTextFile({ name: 'out', mimetype: 'text/plain; charset=utf-8' })).toBe(true);
    expect(isTextFile({ name: 'shot.png', mimetype: 'image/png' })).toBe(false);
    expect(withFiles('see this', ['', 'line'])).toBe('see this\nline');
  });
});
