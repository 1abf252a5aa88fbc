import { type Command, InvalidArgumentError } from 'commander';
import type { Principal } from '../../server/auth/principal.js';
import { issueToken, revokeToken, tokensOf } from '../../server/services/tokens.service.js';
import { requireUser } from '../../server/services/users.service.js';
import { createTokenBody } from '../../shared/studio/auth.js';
import { CliError, EXIT } from '../api-client.js';
import { renderTable } from '../queries/table.js';
import { onStore, withStore, type StoreFlags } from './store-flags.js';
import { shortTime } from './users.commands.js';

/** Whoever runs the admin commands: they hold the store itself, so they act as an admin. */
const operator: Principal = { id: 'operator', name: 'operator', role: 'admin', via: 'local', csrfSubject: null };

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError('expected a whole number of days from 1 to 3650');
  return n;
}

interface CreateFlags extends StoreFlags {
  user: string;
  name: string;
  expiresInDays?: number;
}

/** `runstudio tokens …`: API tokens for scripts and MLflow clients, made on the store directly. */
export function registerTokenCommands(program: Command): void {
  const tokens = program.command('tokens').description('Manage API tokens of a team-mode server (--auth), directly on its store');

  withStore(tokens.command('create').description('Create an API token for a user; prints it once'))
    .requiredOption('--user <name>', 'the user the token signs in as')
    .option('--name <label>', 'what the token is for, to recognise it in lists', 'cli')
    .option('--expires-in-days <n>', 'days until it expires (default: never)', days)
    .action(async (flags: CreateFlags) => {
      const body = createTokenBody.safeParse({ name: flags.name, user: flags.user, expiresInDays: flags.expiresInDays ?? null });
      if (!body.success) throw new CliError(`Invalid --name: ${body.error.issues[0]!.message}.`, EXIT.usage);
      const { token, secret } = await onStore(flags, async (ctx) => issueToken(ctx, await requireUser(ctx, flags.user), body.data.name, body.data.expiresInDays));
      // The secret alone on stdout (for `$(…)`); everything else on stderr.
      console.log(secret);
      console.error(`Token ${token.id} of ${token.user} ('${token.name}'${token.expiresAt === null ? '' : `, expires ${shortTime(token.expiresAt)} UTC`}); it is shown only this once.`);
      console.error('Use it with: export MLFLOW_TRACKING_TOKEN=<the token above> (MLflow clients; RUNSTUDIO_TOKEN for the runstudio CLI)');
    });

  withStore(tokens.command('list').description("List API tokens (never their secrets)"))
    .option('--user <name>', "only this user's tokens")
    .option('--json', 'print JSON')
    .action(async (flags: StoreFlags & { user?: string; json?: boolean }) => {
      const list = await onStore(flags, (ctx) => tokensOf(ctx, flags.user ?? null));
      if (flags.json) return console.log(JSON.stringify(list, null, 2));
      if (list.length === 0) return console.error('No tokens.');
      const rows = list.map((t) => [t.id, t.name, t.user, `${t.prefix}…`, shortTime(t.createdAt), shortTime(t.lastUsedAt), shortTime(t.expiresAt)]);
      const headers = ['ID', 'NAME', 'USER', 'PREFIX', 'CREATED (UTC)', 'LAST USED', 'EXPIRES'];
      console.log(renderTable({ headers, rows, fixed: [true, false, false, true, true, true, true] }, process.stdout.columns ?? 120));
    });

  withStore(tokens.command('revoke').description('Revoke an API token: requests with it get 401').argument('<id>', 'the id tokens list shows')).action(
    async (id: string, flags: StoreFlags) => {
      await onStore(flags, (ctx) => revokeToken(ctx, operator, id));
      console.log(`Revoked token ${id}.`);
    },
  );
}
