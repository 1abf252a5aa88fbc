import type { Metric } from '../../shared/mlflow/types.js';
import { encodeDouble } from '../../shared/mlflow/values.js';
import type { Db } from './db.js';
import { findRunRow } from './runs.store.js';

/** Every point of one metric of one run, by step then timestamp (the primary key's order). */
export async function metricHistory(db: Db, runId: string, key: string, limit: number, offset: number): Promise<Metric[]> {
  const run = await findRunRow(db.kysely, runId);
  const rows = await db.kysely
    .selectFrom('metrics')
    .select(['key', 'value', 'is_nan', 'timestamp', 'step'])
    .where('run_id', '=', run.id)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .orderBy('value')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ key: r.key, value: encodeDouble(r.is_nan ? Number.NaN : r.value), timestamp: r.timestamp, step: r.step }));
}
