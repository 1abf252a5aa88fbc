import { ApiError, invalidParameter } from '../errors.js';

/** Errors a path the client chose can cause: the client's mistake, so a 400 naming it. */
const badPathCodes: Record<string, string> = {
  ENAMETOOLONG: 'a name in it is too long (at most 255 bytes a name)',
  ENOTDIR: 'a part of it is a file, not a directory',
  EEXIST: 'a part of it is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOTEMPTY: 'it is a directory',
};

/** Turns a file-system error caused by the path into a 400; anything else passes unchanged. */
export function fsErrorAsBadPath(error: unknown, where: string): unknown {
  if (error instanceof ApiError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = badPathCodes[code];
  return why ? invalidParameter(`Invalid artifact path '${where.slice(0, 300)}': ${why}.`) : error;
}

/** Whether a body stream failed because the client went away mid-upload. */
export function isInterrupted(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error).message === 'aborted';
}
