import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What a notification says about a run: its name, experiment, status, times and submitter. */
export interface RunFacts {
  runName: string;
  experimentId: string;
  experimentName: string;
  status: string;
  startTime: number;
  endTime: number | null;
  submitter: string;
}

/** The run's facts now; undefined for a run that is gone. */
export async function runFacts(db: Kysely<Database>, runId: string): Promise<RunFacts | undefined> {
  const row = await db
    .selectFrom('runs as r')
    .leftJoin('experiments as e', 'e.experiment_id', 'r.experiment_id')
    .select(['r.run_name', 'r.experiment_id', 'r.status', 'r.start_time', 'r.end_time', 'r.user_id', 'e.name as experiment_name'])
    .where('r.run_uuid', '=', runId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    runName: row.run_name,
    experimentId: String(row.experiment_id),
    experimentName: row.experiment_name ?? '',
    status: row.status,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    submitter: row.user_id,
  };
}
