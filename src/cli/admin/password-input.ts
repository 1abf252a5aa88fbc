import readline from 'node:readline';
import { password as passwordSchema } from '../../shared/studio/auth.js';
import { CliError, EXIT } from '../api-client.js';

/** The first line of stdin (without its line break); stdin is let go of after it, open or not. */
function readLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: process.stdin, terminal: false });
    let got: string | null = null;
    lines.once('line', (line) => {
      got = line;
      lines.close();
    });
    lines.once('close', () => {
      process.stdin.pause();
      if (got === null) reject(new CliError('Expected a password on stdin, got nothing.', EXIT.usage));
      else resolve(got);
    });
  });
}

/** Asks on the terminal without echoing what is typed. Ctrl-C aborts. */
function ask(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = '';
    const done = (error: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done(null);
        if (char === '\u0003') return done(new CliError('Cancelled.', EXIT.failure));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A new password: one line of stdin with `--password-stdin` or when stdin is not a terminal;
 * otherwise asked twice on the terminal, unechoed. Checked by the same rule as the API's.
 */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  let value: string;
  if (fromStdin || !process.stdin.isTTY) {
    value = await readLine();
  } else {
    value = await ask('Password: ');
    if ((await ask('Again: ')) !== value) throw new CliError('The two passwords differ; nothing was changed.', EXIT.usage);
  }
  const parsed = passwordSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`Invalid password: ${parsed.error.issues[0]!.message}.`, EXIT.invalid);
  return parsed.data;
}
