import { execFileSync } from 'node:child_process';
import { benchIngest } from './ingest.bench.js';
import { fmt, freshDataDir, startServer, type Figure } from './support.js';

/**
 * What signing in costs the ingest path: the same ingest as `benchIngest`, against a local-mode
 * server and a team-mode one (`--auth`, every request with a contributor's API token, looked
 * up by its hash on each request), on fresh data directories, one after the other, twice.
 */
export async function benchTeamIngest(runs: number): Promise<Figure[]> {
  const rates: Record<'local' | 'team', number[]> = { local: [], team: [] };
  for (let round = 0; round < 2; round += 1) {
    for (const mode of ['local', 'team'] as const) {
      const dir = freshDataDir(`team-${mode}-${round}`);
      let headers: Record<string, string> = {};
      if (mode === 'team') {
        execFileSync(process.execPath, ['bin/runstudio.mjs', 'users', 'add', 'bench', '--role', 'contributor', '--no-password', '--data', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        const token = execFileSync(process.execPath, ['bin/runstudio.mjs', 'tokens', 'create', '--user', 'bench', '--name', 'bench', '--data', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
        headers = { authorization: `Bearer ${token}` };
      }
      const server = await startServer(dir, mode === 'team' ? ['--auth'] : []);
      try {
        const { figures } = await benchIngest(server.url, runs, 16, headers);
        rates[mode].push(Number(figures[1]!.value.replaceAll(',', '')));
      } finally {
        await server.stop();
      }
    }
  }
  const best = (list: number[]) => Math.max(...list);
  return [
    { what: `ingest, local mode (no sign-in), ${runs.toLocaleString()} runs: metric points/s (best of 2)`, value: fmt(best(rates.local), 0), budget: '—', met: null },
    { what: 'ingest, team mode (Bearer token on every request): metric points/s (best of 2)', value: fmt(best(rates.team), 0), budget: '—', met: null },
    { what: 'ingest, team mode / local mode', value: `${fmt((best(rates.team) / best(rates.local)) * 100, 0)} %`, budget: '—', met: null },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchTeamIngest(Number(process.env.BENCH_RUNS ?? 5000));
  console.log('\n| what | Runstudio | budget | met |\n| --- | --- | --- | --- |');
  for (const f of figures) console.log(`| ${f.what} | ${f.value} | ${f.budget} | |`);
}
