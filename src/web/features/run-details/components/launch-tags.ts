import { LAUNCH_TAGS } from '../../../../shared/studio/control.js';

export { LAUNCH_TAG_PREFIX, LAUNCH_TAGS } from '../../../../shared/studio/control.js';

/** Launch tags the Launch section shows by name; other `runstudio.launch.*` keys show under their own names. */
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
