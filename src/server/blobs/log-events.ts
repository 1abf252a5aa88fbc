import type { LogAppendEvent } from '../../shared/studio/logs.js';
import { readRange } from './log-files.js';
import { completePrefix } from './utf8.js';

/** No server-sent event of a live tail is larger than this, catch-up included. */
export const EVENT_BYTES = 256 * 1024;

/** `id:` is the byte offset the client has then received, for `Last-Event-ID` on reconnect. */
function encode(from: number, bytes: Buffer): Buffer {
  const event: LogAppendEvent = { from, to: from + bytes.length, text: bytes.toString('utf8') };
  return Buffer.from(`id: ${event.to}\nevent: append\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * The next event of a log from byte `from`, reading no further than `limit`: at most
 * EVENT_BYTES once encoded, ending on a character boundary. Null when nothing whole is
 * there yet (an incomplete character waits for its last bytes).
 */
export async function nextEvent(file: string, from: number, limit: number): Promise<{ to: number; data: Buffer } | null> {
  let bytes = await readRange(file, from, Math.min(limit, from + EVENT_BYTES - 200));
  for (;;) {
    bytes = bytes.subarray(0, completePrefix(bytes));
    if (bytes.length === 0) return null;
    const data = encode(from, bytes);
    if (data.length <= EVENT_BYTES) return { to: from + bytes.length, data };
    // JSON escapes made it larger (control characters, quotes): cut the bytes in proportion.
    bytes = bytes.subarray(0, Math.floor((bytes.length * (EVENT_BYTES - 200)) / data.length));
  }
}
