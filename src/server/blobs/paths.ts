import path from 'node:path';
import { invalidParameter } from '../errors.js';

/**
 * Splits a relative path into safe segments: no absolute path, no `..` or `.`, no
 * backslash or NUL, nothing empty. Whatever passes cannot leave the directory it is
 * joined to.
 */
export function safeSegments(relative: string, what: string): string[] {
  if (relative === '') return [];
  if (relative.startsWith('/') || relative.includes('\\') || relative.includes('\0')) {
    throw invalidParameter(`Invalid ${what} '${relative}': it must be a relative path inside the run.`);
  }
  const segments = relative.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) {
    throw invalidParameter(`Invalid ${what} '${relative}': '..' and '.' are not allowed; paths stay inside their run.`);
  }
  return segments;
}

/** Joins safe segments under `root` and checks, once more, that the result stays inside. */
export function inside(root: string, segments: string[]): string {
  const full = path.resolve(root, ...segments);
  const base = path.resolve(root);
  if (full !== base && !full.startsWith(base + path.sep)) throw invalidParameter('Invalid path: it leaves its run.');
  return full;
}
