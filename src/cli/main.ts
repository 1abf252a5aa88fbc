import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { serve } from '../server/main.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

/** The `runstudio` command line. `packageRoot` locates the built web app. */
export async function main(argv: string[], packageRoot: string): Promise<void> {
  const program = new Command('runstudio').description('A self-hosted studio for machine-learning runs.');
  program
    .command('serve')
    .description('Run the tracking server and web studio')
    .option('--host <host>', 'address to bind (use 0.0.0.0 to accept other machines)', process.env.RUNSTUDIO_HOST ?? '127.0.0.1')
    .option('--port <port>', 'port to listen on', port, Number(process.env.RUNSTUDIO_PORT ?? 5000))
    .option('--data <dir>', 'data directory: SQLite database and blobs', process.env.RUNSTUDIO_DATA ?? './runstudio-data')
    .option('--database-url <url>', 'PostgreSQL URL (postgres://…) for metadata instead of SQLite', process.env.RUNSTUDIO_DATABASE_URL)
    .option('--log', 'log every request as JSON lines', false)
    .action(async (opts: { host: string; port: number; data: string; databaseUrl?: string; log: boolean }) => {
      const { url } = await serve({
        host: opts.host,
        port: opts.port,
        dataDir: path.resolve(opts.data),
        databaseUrl: opts.databaseUrl,
        webRoot: path.join(packageRoot, 'dist', 'web'),
        logger: opts.log,
      });
      const store = opts.databaseUrl ? 'PostgreSQL' : `SQLite in ${path.resolve(opts.data)}`;
      console.log(`Runstudio listening on ${url} (${store})`);
      console.log(`Log from MLflow with: export MLFLOW_TRACKING_URI=${url}`);
    });
  await program.parseAsync(argv);
}
