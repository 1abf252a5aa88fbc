import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Test schemas in the PostgreSQL test database are dropped here, once every test file has
 * finished: a DROP SCHEMA while another file's migrator introspects the catalog makes that
 * introspection fail ("schema … does not exist"). Each run tags its schemas with its id;
 * schemas left by crashed runs are dropped once they are an hour old.
 */
export default async function globalSetup() {
  const url = process.env.RUNSTUDIO_TEST_DATABASE_URL;
  const runId = `${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}`;
  process.env.RUNSTUDIO_TEST_RUN = runId;
  if (!url) return undefined;
  await dropSchemas(url, (name) => {
    const started = parseInt(name.split('_')[2] ?? '', 36);
    return Number.isFinite(started) && Date.now() / 1000 - started > 3600;
  });
  return () => dropSchemas(url, (name) => name.startsWith(`rs_test_${runId}_`));
}

async function dropSchemas(url: string, which: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rs\\_test\\_%'");
    for (const { nspname } of rows.filter((r) => which(r.nspname))) {
      await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}
