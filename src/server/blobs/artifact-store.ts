import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, notFound } from '../errors.js';
import { fsErrorAsBadPath, isInterrupted } from './fs-errors.js';
import { inside } from './paths.js';

export interface ArtifactEntry {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ArtifactStoreOptions {
  /** Largest upload in bytes; null: no limit. */
  maxBytes: number | null;
  /** fsync each upload before it replaces the file (`--durability full`). */
  fsync: boolean;
}

/** Temp files left by a crashed server are removed on start once they are this old. */
const STALE_UPLOAD_MS = 60 * 60 * 1000;

/** Counts the bytes that pass and fails the stream past `max`. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new ApiError('PAYLOAD_TOO_LARGE', `Artifact upload is larger than this server's limit of ${max} bytes (--max-artifact-bytes).`));
      else done(null, chunk);
    },
  });
}

/**
 * Artifacts as files under `<root>/artifacts`, laid out as MLflow's artifact URIs. An upload
 * is written to its own temp file under `<root>/tmp/uploads` (outside anything listed) and
 * renamed into place, so a reader and concurrent uploads of one path only ever see one
 * whole upload.
 */
export class ArtifactStore {
  private readonly base: string;
  private readonly temp: string;
  constructor(
    root: string,
    private readonly options: ArtifactStoreOptions = { maxBytes: null, fsync: false },
  ) {
    this.base = path.join(root, 'artifacts');
    this.temp = path.join(root, 'tmp', 'uploads');
  }

  /** Removes temp files of uploads that a crash interrupted (old enough that no replica still writes them). */
  async sweepUploads(now = Date.now()): Promise<number> {
    const names = await fs.readdir(this.temp).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.temp, name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat && now - stat.mtimeMs > STALE_UPLOAD_MS) {
        await fs.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Streams `body` into place atomically; `declaredSize` (Content-Length) is checked first. */
  async put(segments: string[], body: Readable, declaredSize?: number): Promise<void> {
    const { maxBytes } = this.options;
    if (maxBytes !== null && declaredSize !== undefined && declaredSize > maxBytes) {
      throw new ApiError('PAYLOAD_TOO_LARGE', `Artifact upload of ${declaredSize} bytes is larger than this server's limit of ${maxBytes} bytes (--max-artifact-bytes).`);
    }
    const file = inside(this.base, segments);
    const where = segments.join('/');
    await fs.mkdir(this.temp, { recursive: true });
    const temp = path.join(this.temp, randomBytes(16).toString('hex'));
    try {
      const out = createWriteStream(temp, { flags: 'wx', flush: this.options.fsync });
      await (maxBytes === null ? pipeline(body, out) : pipeline(body, byteLimit(maxBytes), out));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      if (isInterrupted(error)) throw new ApiError('MALFORMED_REQUEST', `The upload of '${where}' was interrupted before its end; nothing was stored.`);
      throw fsErrorAsBadPath(error, where);
    }
  }

  /** The entries of a directory, with paths relative to `relativeTo` (MLflow's convention). */
  async list(segments: string[], relativeTo: string[]): Promise<ArtifactEntry[]> {
    const dir = inside(this.base, segments);
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
      throw fsErrorAsBadPath(error, segments.join('/'));
    });
    const prefix = segments.slice(relativeTo.length);
    const out = await Promise.all(
      entries
        // Temp files of uploads made by servers before 0.2 lived beside their target.
        .filter((e) => !e.name.includes('.upload-'))
        .map(async (e) => {
          const rel = [...prefix, e.name].join('/');
          if (e.isDirectory()) return { path: rel, is_dir: true };
          const stat = await fs.stat(path.join(dir, e.name)).catch(() => null);
          return { path: rel, is_dir: false, file_size: stat?.size ?? 0 };
        }),
    );
    // By name, byte-wise, directories among files: as MLflow lists them (and the same in every locale).
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async open(segments: string[]): Promise<{ stream: Readable; size: number }> {
    const file = inside(this.base, segments);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat || !stat.isFile()) throw notFound(`No artifact at '${segments.join('/')}'`);
    return { stream: createReadStream(file), size: stat.size };
  }
}
