import fs from 'node:fs/promises';
import path from 'node:path';

/** Reads of a log go through buffers of this size at most, whatever the log's size. */
export const READ_CHUNK = 1 << 20;

/** The file's size; 0 when it does not exist yet. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Up to `length` bytes at `position` (fewer at the end of the file), into `reuse` when it is large enough. */
export async function readAt(handle: fs.FileHandle, position: number, length: number, reuse?: Buffer): Promise<Buffer> {
  const buffer = reuse && reuse.length >= length ? reuse : Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Reads [from, to) of a file, clamped to its size; empty when it does not exist. */
export async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return Buffer.alloc(0);
  try {
    return from < to ? await readAt(handle, from, to - from) : Buffer.alloc(0);
  } finally {
    await handle.close();
  }
}

/** Whether the file holds exactly `bytes` at `offset`, compared chunk by chunk. */
export async function holdsBytes(file: string, offset: number, bytes: Buffer): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, bytes.length));
    for (let done = 0; done < bytes.length; done += READ_CHUNK) {
      const expected = bytes.subarray(done, done + READ_CHUNK);
      if (!expected.equals(await readAt(handle, offset + done, expected.length, buffer))) return false;
    }
    return true;
  } finally {
    await handle.close();
  }
}

/** Appends `bytes`; with `fsync`, the data (and a new file's directory entry) is on disk when it resolves. */
export async function appendBytes(file: string, bytes: Buffer, fsync: boolean): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const created = fsync && (await fileSize(file)) === 0;
  const handle = await fs.open(file, 'a');
  try {
    await handle.appendFile(bytes);
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
  if (created) {
    const dirHandle = await fs.open(dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
  }
}
