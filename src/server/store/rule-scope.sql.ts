import { sql, type Kysely, type RawBuilder } from 'kysely';
import { parseFilter, runAttributes } from '../../shared/filter/parse.js';
import type { RuleScope } from '../../shared/studio/notifications.js';
import type { Db } from './db.js';
import { clauseToSql } from './run-filter.sql.js';
import type { Database } from './schema.js';

/** A rule's runs as a condition on `runs r`; a filter is MLflow's grammar compiled to SQL, never evaluated in memory. */
export function scopeCondition(dialect: Db['dialect'], scope: RuleScope, owner: string): RawBuilder<unknown> {
  switch (scope.kind) {
    case 'all':
      return sql`1 = 1`;
    case 'experiment':
      return sql`r.experiment_id = ${Number(scope.experimentId)}`;
    case 'mine':
      return sql`r.user_id = ${owner}`;
    case 'run':
      return sql`r.run_uuid = ${scope.runId}`;
    case 'filter': {
      const conditions = parseFilter(scope.filter, runAttributes).map((clause) => clauseToSql(dialect, clause));
      if (scope.experimentId !== null) conditions.push(sql`r.experiment_id = ${Number(scope.experimentId)}`);
      return conditions.length === 0 ? sql`1 = 1` : sql.join(conditions, sql` AND `);
    }
  }
}

/** Which of `runIds` a rule's scope takes in. */
export async function runsInScope(db: Kysely<Database>, dialect: Db['dialect'], scope: RuleScope, owner: string, runIds: string[]): Promise<Set<string>> {
  if (runIds.length === 0) return new Set();
  const rows = await sql<{ run_uuid: string }>`SELECT r.run_uuid FROM runs r
    WHERE r.run_uuid IN (${sql.join(runIds)}) AND ${scopeCondition(dialect, scope, owner)}`.execute(db);
  return new Set(rows.rows.map((r) => r.run_uuid));
}

/**
 * Running runs of a rule's scope that showed no life since `cutoff`: no metric or log line
 * (run_liveness), no launcher heartbeat (run_control) and not started since. `since` is the
 * last sign of life, which names the stall: a run that logs again and stalls again is new. A
 * stall this rule reported already is left out, so the oldest unreported come first.
 */
export async function stalledRuns(db: Kysely<Database>, dialect: Db['dialect'], rule: { id: string; scope: RuleScope; owner: string }, cutoff: number, limit: number): Promise<Array<{ runId: string; since: number }>> {
  const greatest = dialect === 'postgres' ? sql.raw('GREATEST') : sql.raw('MAX');
  const since = sql`${greatest}(r.start_time, COALESCE(l.at, 0), COALESCE(rc.heartbeat_at, 0))`;
  const rows = await sql<{ run_uuid: string; since: number | string }>`SELECT r.run_uuid, ${since} AS since FROM runs r
    LEFT JOIN run_liveness l ON l.run_uuid = r.run_uuid
    LEFT JOIN run_control rc ON rc.run_uuid = r.run_uuid
    WHERE r.status = 'RUNNING' AND r.lifecycle_stage = 'active' AND ${scopeCondition(dialect, rule.scope, rule.owner)} AND ${since} < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM notification_stalls s WHERE s.rule_id = ${rule.id} AND s.run_uuid = r.run_uuid AND s.since = ${since})
    ORDER BY ${since}, r.run_uuid LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ runId: r.run_uuid, since: Number(r.since) }));
}
