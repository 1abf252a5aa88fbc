import { Option, type Command } from 'commander';
import { emailAddress, type Role } from '../../shared/studio/auth.js';
import { createUser, listUsers, removeUser, updateUser } from '../../server/services/users.service.js';
import { CliError, EXIT } from '../api-client.js';
import { renderTable } from '../queries/table.js';
import { role } from '../serve-flags.js';
import { readNewPassword } from './password-input.js';
import { onStore, withStore, type StoreFlags } from './store-flags.js';

/** A time as `2026-11-27 22:05` UTC, for lists. */
export const shortTime = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

interface AddFlags extends StoreFlags {
  role: Role;
  passwordStdin?: boolean;
  /** False with `--no-password`. */
  password: boolean;
  email?: string;
}

/**
 * An address checked as the HTTP routes check it (the services store what they are given), the
 * option named in the refusal.
 */
function checkedEmail(value: string, option: string): string {
  const parsed = emailAddress.safeParse(value);
  if (!parsed.success) throw new CliError(`Invalid value for ${option}: ${parsed.error.issues[0]!.message}.`, EXIT.invalid);
  return parsed.data;
}

/** `runstudio users …`: manage a team-mode server's users on its store (no server needed). */
export function registerUserCommands(program: Command): void {
  const users = program.command('users').description("Manage the users of a team-mode server (--auth), directly on its store");

  withStore(users.command('add').description('Add a user').argument('<name>', 'user name (letters, digits, . _ @ + -)'))
    .option('--role <role>', 'reader, contributor or admin', role, 'reader' as Role)
    .option('--password-stdin', 'read the password from the first line of stdin (default: asked twice on the terminal)')
    .option('--no-password', 'no password: the user signs in only through a trusted proxy (--auth-proxy-header)')
    .option('--email <address>', "the user's address: where their own notification rules send (set-email changes it)")
    .action(async (name: string, flags: AddFlags) => {
      if (!flags.password && flags.passwordStdin) throw new CliError('--no-password and --password-stdin contradict each other.', EXIT.usage);
      const email = flags.email === undefined ? undefined : checkedEmail(flags.email, '--email');
      // Asked before the store opens, so a typo in the second prompt leaves nothing half done.
      const password = flags.password ? await readNewPassword(flags.passwordStdin ?? false) : undefined;
      const user = await onStore(flags, (ctx) => createUser(ctx, { name, role: flags.role, ...(password !== undefined ? { password } : {}), ...(email !== undefined ? { email } : {}) }), true);
      console.log(`Added ${user.name} (${user.role}${user.email === null ? '' : `, ${user.email}`}${user.hasPassword ? '' : ', no password: signs in through the proxy'}).`);
    });

  withStore(users.command('list').description('List the users'))
    .option('--json', 'print JSON')
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const list = await onStore(flags, listUsers);
      if (flags.json) return console.log(JSON.stringify(list, null, 2));
      if (list.length === 0) return console.error('No users yet: add the first admin with runstudio users add <name> --role admin.');
      const rows = list.map((u) => [u.name, u.role, u.email ?? '-', u.hasPassword ? 'yes' : 'no (proxy)', shortTime(u.createdAt)]);
      console.log(renderTable({ headers: ['NAME', 'ROLE', 'E-MAIL', 'PASSWORD', 'CREATED (UTC)'], rows, fixed: [false, true, false, true, true] }, process.stdout.columns ?? 120));
    });

  withStore(users.command('set-role').description("Change a user's role").argument('<name>').argument('<role>', 'reader, contributor or admin', role)).action(
    async (name: string, newRole: Role, flags: StoreFlags) => {
      const user = await onStore(flags, (ctx) => updateUser(ctx, name, { role: newRole }));
      console.log(`${user.name} is now a${user.role === 'admin' ? 'n' : ''} ${user.role}.`);
    },
  );

  withStore(
    users
      .command('set-email')
      .description("Set a user's e-mail address: where their own notification rules send (they cannot change it themselves)")
      .argument('<name>')
      .argument('[address]', 'the new address; or --clear'),
  )
    .option('--clear', 'remove the address (their e-mail rules stop sending until one is set)')
    .addOption(new Option('--none', 'the same as --clear').hideHelp())
    .action(async (name: string, address: string | undefined, flags: StoreFlags & { clear?: boolean; none?: boolean }) => {
      const clear = flags.clear === true || flags.none === true;
      if (clear === (address !== undefined)) throw new CliError('Give the new address, or --clear to remove it (not both).', EXIT.usage);
      const email = address === undefined ? null : checkedEmail(address, 'address');
      const user = await onStore(flags, (ctx) => updateUser(ctx, name, { email }));
      console.log(user.email === null ? `${user.name} has no e-mail address now.` : `E-mail of ${user.name} is now ${user.email}.`);
    });

  withStore(users.command('set-password').description("Set a user's password (signs out their sessions)").argument('<name>'))
    .option('--password-stdin', 'read the password from the first line of stdin (default: asked twice on the terminal)')
    .action(async (name: string, flags: StoreFlags & { passwordStdin?: boolean }) => {
      const password = await readNewPassword(flags.passwordStdin ?? false);
      const user = await onStore(flags, (ctx) => updateUser(ctx, name, { password }));
      console.log(`Password of ${user.name} changed; their sessions are signed out.`);
    });

  withStore(users.command('remove').description('Remove a user with their sessions and tokens (their runs stay)').argument('<name>')).action(
    async (name: string, flags: StoreFlags) => {
      await onStore(flags, (ctx) => removeUser(ctx, name));
      console.log(`Removed ${name}.`);
    },
  );
}
