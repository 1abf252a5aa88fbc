/**
 * Tags `runstudio run` writes on the runs it launches (system tags: never shown among the
 * user's tags). Other `runstudio.launch.*` keys are shown too, under their own names.
 */
export const LAUNCH_TAG_PREFIX = 'runstudio.launch.';
export const LAUNCH_TAGS = {
  command: 'runstudio.launch.command',
  cwd: 'runstudio.launch.cwd',
  host: 'runstudio.launch.host',
  gitCommit: 'runstudio.launch.gitCommit',
  gitDirty: 'runstudio.launch.gitDirty',
  exitCode: 'runstudio.launch.exitCode',
  signal: 'runstudio.launch.signal',
} as const;
export const knownLaunchTags: ReadonlySet<string> = new Set<string>(Object.values(LAUNCH_TAGS));

const plainArg = /^[\w@%+=:,./-]+$/;
/** The command line as a shell would take it; the launcher may store it as a JSON array of arguments. */
export function commandLine(stored: string): string {
  if (!stored.startsWith('[')) return stored;
  try {
    const args: unknown = JSON.parse(stored);
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return stored;
    return args.map((a) => (plainArg.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
  } catch {
    return stored;
  }
}
