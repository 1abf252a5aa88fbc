import { benchCancel } from './cancel.bench.js';
import { benchCharts } from './charts.bench.js';
import { benchIngest } from './ingest.bench.js';
import { benchLogFollowers, benchLogGigabyte } from './log-scale.bench.js';
import { benchLive } from './live.bench.js';
import { benchLogs } from './logs.bench.js';
import { benchLoggedModels } from './logged-models.bench.js';
import { benchPostgres } from './postgres.bench.js';
import { benchRename } from './rename.bench.js';
import { benchOnIngested, benchSearchAt } from './search.bench.js';
import { benchSqliteLimit } from './sqlite-limit.bench.js';
import { benchTeamIngest } from './team.bench.js';
import { benchNotifications } from './notifications.bench.js';
import { fmt, freshDataDir, machine, startServer, type Figure } from './support.js';

/**
 * `npm run bench`: every budget of DESIGN.md that exists so far, printed as a Markdown
 * table. Sizes can be lowered for a quick look: BENCH_RUNS=2000 BENCH_SEARCH_RUNS=20000.
 * Ingest and search run again on PostgreSQL (BENCH_DATABASE_URL, the admin connection), or
 * are skipped with a line when it is not reachable.
 */
const ingestRuns = Number(process.env.BENCH_RUNS ?? 10_000);
const searchRuns = Number(process.env.BENCH_SEARCH_RUNS ?? 100_000);
const figures: Figure[] = [];

console.log(`Runstudio bench on ${machine()}`);
console.log(`- ingest: ${ingestRuns.toLocaleString()} runs through the HTTP API (SQLite)`);
const server = await startServer(freshDataDir('ingest'));
try {
  const ingest = await benchIngest(server.url, ingestRuns);
  figures.push(...ingest.figures);
  console.log('- limit: the same rows straight into better-sqlite3');
  const limit = await benchSqliteLimit(ingestRuns);
  figures.push(limit.figure);
  const served = Number(ingest.figures[1]!.value.replaceAll(',', ''));
  figures.push({ what: 'ingest through the API / bare better-sqlite3', value: `${fmt((served / limit.pointsPerSecond) * 100, 0)} %`, budget: '—', met: null });
  console.log('- paging, history and tag LIKE on the ingested runs');
  figures.push(...(await benchOnIngested(server.url, ingest.experimentId, ingest.runIds)));
} finally {
  await server.stop();
}
console.log('- teams: the same ingest with an API token on every request, beside local mode');
figures.push(...(await benchTeamIngest(Math.min(ingestRuns, 5000))));
console.log('- notifications: ingest with rules, status change → webhook');
figures.push(...(await benchNotifications(Math.min(ingestRuns, 5000))));
console.log(`- search at ${searchRuns.toLocaleString()} runs`);
figures.push(...(await benchSearchAt(searchRuns)));
figures.push(...(await benchRename()));
figures.push(...(await benchPostgres(ingestRuns, searchRuns)));
console.log('- logs: a 50 MB log, and live lines');
figures.push(...(await benchLogs()));
console.log('- logs at scale: a 1 GB log opened, and 1,000 live followers');
figures.push(...(await benchLogGigabyte()));
figures.push(...(await benchLogFollowers()));
console.log('- MLflow 3: logged models and datasets');
figures.push(...(await benchLoggedModels()));
console.log('- a chart of 20 runs x 100,000 points');
figures.push(...(await benchCharts()));
console.log('- Cancel clicked on a launched run, until its process is gone');
figures.push(...(await benchCancel()));
console.log('- live by push: a status change and a metric point, until on screen');
figures.push(...(await benchLive()));

console.log('\n| what | Runstudio | budget | met |\n| --- | --- | --- | --- |');
for (const f of figures) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
