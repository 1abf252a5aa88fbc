import path from 'node:path';
import { Command, Option } from 'commander';
import { describeBlobStore } from '../server/blobs/blob-stores.js';
import { ApiError } from '../server/errors.js';
import { serve, ServeRefused } from '../server/main.js';
import { registerTokenCommands } from './admin/tokens.commands.js';
import { registerUserCommands } from './admin/users.commands.js';
import { CliError, EXIT, exitCodeFor } from './api-client.js';
import { registerDemoCommand } from './demo/demo.js';
import { registerLaunchCommands } from './launcher/commands.js';
import { registerQueryCommands } from './queries/commands.js';
import { blobStoreFromFlags, bytes, durability, duration, list, notificationsBanner, optionsFromFlags, port, positiveInt, role, type ServeFlags } from './serve-flags.js';

const env = process.env;

/** The `runstudio` command line. `packageRoot` locates the built web app. */
export async function main(argv: string[], packageRoot: string): Promise<void> {
  // Set before the commands are added, so they inherit it: usage errors throw, and run() exits 2.
  const program = new Command('runstudio').description('A self-hosted studio for machine-learning runs.').exitOverride();
  program
    .command('serve')
    .description('Run the tracking server and web studio')
    .option('--host <host>', 'address to bind (use 0.0.0.0 to accept other machines)', env.RUNSTUDIO_HOST ?? '127.0.0.1')
    .option('--port <port>', 'port to listen on', port, Number(env.RUNSTUDIO_PORT ?? 5000))
    .option('--data <dir>', 'data directory: SQLite database and blobs', env.RUNSTUDIO_DATA ?? './runstudio-data')
    // A database URL may hold a password: help names where a default came from, never its value.
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL (postgres://…) for metadata instead of SQLite').default(env.RUNSTUDIO_DATABASE_URL || undefined, 'from RUNSTUDIO_DATABASE_URL'))
    .option('--allowed-hosts <names>', "more Host names to answer to, comma-separated ('*': any, behind a proxy that checks)", list, list(env.RUNSTUDIO_ALLOWED_HOSTS ?? ''))
    .option('--cors-allowed-origins <origins>', 'origins allowed to call the API from their pages, comma-separated', list, list(env.RUNSTUDIO_CORS_ALLOWED_ORIGINS ?? ''))
    .option('--allow-artifact-locations', 'let experiments name any artifact location (s3://…, file:…), not only the server’s own', env.RUNSTUDIO_ALLOW_ARTIFACT_LOCATIONS === 'true')
    .option('--max-artifact-bytes <size>', 'largest artifact upload (e.g. 2G); no limit by default', bytes, env.RUNSTUDIO_MAX_ARTIFACT_BYTES ? bytes(env.RUNSTUDIO_MAX_ARTIFACT_BYTES) : undefined)
    .option('--max-log-streams <n>', 'live log streams open at once', positiveInt, Number(env.RUNSTUDIO_MAX_LOG_STREAMS ?? 2000))
    .addOption(
      new Option('--durability <level>', "'full': fsync every commit and log append before answering")
        .argParser(durability)
        .default(durability(env.RUNSTUDIO_DURABILITY ?? 'normal')),
    )
    .option('--heartbeat-timeout <duration>', 'a launched run whose launcher sends no heartbeat for this long becomes Failed (e.g. 60s, 5m)', duration, duration(env.RUNSTUDIO_HEARTBEAT_TIMEOUT ?? '60s'))
    .option('--blob-store <uri>', 'keep artifacts and logs in an S3-compatible bucket: s3://bucket/prefix (default: the data directory)', env.RUNSTUDIO_BLOB_STORE)
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (MinIO, Ceph, …); AWS itself by default', env.AWS_ENDPOINT_URL)
    .option('--s3-path-style', 'address the bucket in the path, not the host name (MinIO, Ceph, local servers)', env.RUNSTUDIO_S3_PATH_STYLE === 'true')
    .option('--auth', 'team mode: users sign in, with roles (add the first admin with runstudio users add <name> --role admin)', env.RUNSTUDIO_AUTH === 'true')
    .option('--insecure-no-auth', 'local mode on an address other machines reach: anyone who reaches it may change or delete every run', env.RUNSTUDIO_INSECURE_NO_AUTH === 'true')
    .option('--auth-proxy-header <name>', 'with --auth: a signing-in proxy names the user in this header (e.g. X-Forwarded-User)', env.RUNSTUDIO_AUTH_PROXY_HEADER)
    .option('--auth-proxy-trusted <addresses>', "your proxy's addresses, comma-separated: their X-Forwarded-User, -For and -Proto are believed (team mode)", list, list(env.RUNSTUDIO_AUTH_PROXY_TRUSTED ?? ''))
    .option('--auth-proxy-role <role>', 'role of a user a proxy names for the first time', role, role(env.RUNSTUDIO_AUTH_PROXY_ROLE ?? 'reader'))
    .option('--session-ttl <duration>', 'how long a sign-in lasts (e.g. 12h, 30d; default 30d)', duration, env.RUNSTUDIO_SESSION_TTL ? duration(env.RUNSTUDIO_SESSION_TTL) : undefined)
    .addOption(
      // The URL holds a password: help shows where a default came from, never the value.
      new Option('--smtp-url <url>', 'send notification e-mails through this SMTP server: smtp://user:pass@host:587 or smtps://… (prefer RUNSTUDIO_SMTP_URL: arguments are visible to other local users)').default(
        env.RUNSTUDIO_SMTP_URL || undefined,
        'from RUNSTUDIO_SMTP_URL',
      ),
    )
    .option('--mail-from <address>', "the From of notification e-mails (e.g. 'Runstudio <runstudio@example.com>')", env.RUNSTUDIO_MAIL_FROM || undefined)
    .option('--public-url <url>', 'the address users open the studio at, for links in notifications (default: the address listened on)', env.RUNSTUDIO_PUBLIC_URL || undefined)
    .option('--no-notifications', 'send no notifications from this replica (another replica sends them)', !['0', 'false'].includes(env.RUNSTUDIO_NOTIFICATIONS ?? ''))
    .option('--notify-max-attempts <n>', 'tries of one notification before it is failed for good (default 10)', positiveInt, env.RUNSTUDIO_NOTIFY_MAX_ATTEMPTS ? positiveInt(env.RUNSTUDIO_NOTIFY_MAX_ATTEMPTS) : undefined)
    .option('--log', 'log every request as JSON lines', false)
    .action(async (opts: ServeFlags) => {
      // A served studio is production: responses are not checked against the endpoint table
      // (tests and `NODE_ENV=development runstudio serve` check them; see define-route.ts).
      process.env.NODE_ENV ??= 'production';
      const blobStore = blobStoreFromFlags(opts);
      const dataDir = path.resolve(opts.data);
      const options = optionsFromFlags(opts);
      const { url, publicUrl, needsFirstAdmin } = await serve({
        host: opts.host,
        port: opts.port,
        dataDir,
        databaseUrl: opts.databaseUrl,
        blobStore,
        webRoot: path.join(packageRoot, 'dist', 'web'),
        logger: opts.log,
        options,
        insecureNoAuth: opts.insecureNoAuth,
      }).catch((error: unknown) => {
        throw error instanceof ServeRefused ? new CliError(error.message, EXIT.usage) : error;
      });
      const store = opts.databaseUrl ? 'PostgreSQL' : `SQLite in ${dataDir}`;
      console.log(`Runstudio listening on ${url} (${store}; blobs: ${describeBlobStore(blobStore, path.join(dataDir, 'blobs'))})`);
      console.log(`Log from MLflow with: export MLFLOW_TRACKING_URI=${url}`);
      console.log(notificationsBanner(options, publicUrl));
      if (opts.insecureNoAuth) console.warn('Warning: --insecure-no-auth: no sign-in, so anyone who can reach this server may change or delete every run.');
      if (options.auth === 'team') console.log('Team mode (--auth): users sign in; clients send an API token (MLFLOW_TRACKING_TOKEN, RUNSTUDIO_TOKEN).');
      if (needsFirstAdmin) console.log(`No admin yet: make the first one with: runstudio users add <name> --role admin --data ${opts.databaseUrl ? '… --database-url …' : dataDir}`);
    });
  registerLaunchCommands(program);
  registerQueryCommands(program);
  registerDemoCommand(program);
  registerUserCommands(program);
  registerTokenCommands(program);
  await program.parseAsync(argv);
}

/**
 * Runs the command line and exits the way a shell expects: a CliError prints its message
 * and exits with its code, commander's usage errors exit 2 (after printing their own
 * message). `runstudio run` and `sweep` set process.exitCode themselves.
 */
export async function run(argv: string[], packageRoot: string): Promise<void> {
  try {
    await main(argv, packageRoot);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = EXIT.usage;
      return;
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = error instanceof CliError ? error.exitCode : error instanceof ApiError ? exitCodeFor(error.status) : EXIT.failure;
  }
}
