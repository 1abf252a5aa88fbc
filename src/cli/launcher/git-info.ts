import { execFile } from 'node:child_process';

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? null : stdout));
  });
}

/**
 * The commit checked out in `cwd` and whether tracked files differ from it (untracked
 * files, often outputs, do not count, as in MLflow); null outside a git work tree or
 * without git.
 */
export async function gitInfo(cwd: string): Promise<{ commit: string; dirty: boolean } | null> {
  const commit = (await git(cwd, ['rev-parse', 'HEAD']))?.trim();
  if (!commit) return null;
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: status === null ? false : status.trim() !== '' };
}
