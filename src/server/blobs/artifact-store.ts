import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../errors.js';
import { inside } from './paths.js';

export interface ArtifactEntry {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/** Artifacts as files under `<root>/artifacts`, laid out as MLflow's artifact URIs. */
export class ArtifactStore {
  private readonly base: string;
  constructor(root: string) {
    this.base = path.join(root, 'artifacts');
  }

  /** Writes a file atomically (temp file, then rename), streaming the body. */
  async put(segments: string[], body: Readable): Promise<void> {
    const file = inside(this.base, segments);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.upload-${process.pid}-${Date.now()}`;
    try {
      await pipeline(body, createWriteStream(temp));
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /** The entries of a directory, with paths relative to `relativeTo` (MLflow's convention). */
  async list(segments: string[], relativeTo: string[]): Promise<ArtifactEntry[]> {
    const dir = inside(this.base, segments);
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
      throw error;
    });
    const prefix = segments.slice(relativeTo.length);
    const out = await Promise.all(
      entries
        .filter((e) => !e.name.includes('.upload-'))
        .map(async (e) => {
          const rel = [...prefix, e.name].join('/');
          if (e.isDirectory()) return { path: rel, is_dir: true };
          return { path: rel, is_dir: false, file_size: (await fs.stat(path.join(dir, e.name))).size };
        }),
    );
    return out.sort((a, b) => (a.is_dir === b.is_dir ? a.path.localeCompare(b.path) : a.is_dir ? -1 : 1));
  }

  async open(segments: string[]): Promise<{ stream: Readable; size: number }> {
    const file = inside(this.base, segments);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat || !stat.isFile()) throw notFound(`No artifact at '${segments.join('/')}'`);
    return { stream: createReadStream(file), size: stat.size };
  }
}
