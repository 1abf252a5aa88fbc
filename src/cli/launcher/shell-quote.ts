const safe = /^[A-Za-z0-9_/.,:=@%+-]+$/;

/** One argument as a POSIX shell would need it typed: bare when safe, else in single quotes. */
export function shellQuote(arg: string): string {
  if (safe.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line a user can paste back into a shell to run the same thing. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
