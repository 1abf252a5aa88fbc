import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ApiError } from '../../server/errors.js';
import type { UserContext } from '../../server/services/users.service.js';
import { openDb } from '../../server/store/db.js';
import { CliError, EXIT, exitCodeFor } from '../api-client.js';

/** Where the admin commands find the store: the same flags and variables as `runstudio serve`. */
export interface StoreFlags {
  data: string;
  databaseUrl?: string;
}

export function withStore(command: Command): Command {
  const env = process.env;
  return command
    .option('--data <dir>', 'data directory of the server (its SQLite database)', env.RUNSTUDIO_DATA ?? './runstudio-data')
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL of the server, when it keeps metadata there').default(env.RUNSTUDIO_DATABASE_URL || undefined, 'from RUNSTUDIO_DATABASE_URL'));
}

/**
 * Runs `work` on the server's store directly, not over HTTP, so an operator can act before any
 * admin exists and without a running server. Only `create` makes a new SQLite database: any
 * other command on a directory without one names the flag (a typo would otherwise show no users).
 * A service's ApiError exits with the status of its HTTP twin.
 */
export async function onStore<T>(flags: StoreFlags, work: (ctx: UserContext) => Promise<T>, create = false): Promise<T> {
  let file: string | null = null;
  if (!flags.databaseUrl) {
    const dir = path.resolve(flags.data);
    file = path.join(dir, 'runstudio.db');
    if (!create && !fs.existsSync(file)) throw new CliError(`No Runstudio database in ${dir}: pass the server's --data directory (or RUNSTUDIO_DATA), or --database-url.`, EXIT.usage);
    fs.mkdirSync(dir, { recursive: true });
  }
  const db = await openDb(file ? { kind: 'sqlite', file } : { kind: 'postgres', url: flags.databaseUrl! });
  try {
    return await work({ db, now: Date.now });
  } catch (error) {
    throw error instanceof ApiError ? new CliError(error.message, exitCodeFor(error.status)) : error;
  } finally {
    await db.close();
  }
}
