/**
 * The cookies a browser would keep for the test server: what its answers set (a team
 * server's session cookie) goes back with every later request. Emptied after each test.
 */
const cookies = new Map<string, string>();

export const cookieJar = {
  /** The `cookie` header's pairs, or '' when the jar is empty. */
  header: (): string => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
  /** Keeps what `response` sets, and forgets what it clears (an empty value or Max-Age=0). */
  keep(response: Response): void {
    cookieJar.keepLines(response.headers.getSetCookie());
  },
  /** The same, from `Set-Cookie` lines (an injected response's). */
  keepLines(lines: string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
  },
  clear: (): void => cookies.clear(),
};
