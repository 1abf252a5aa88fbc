/** Where the app goes after sign-in when `next` is missing or not ours. */
export const DEFAULT_AFTER_SIGN_IN = '/runs';

/**
 * The page to open after sign-in: `next` when it is a path of this app, else /runs. An
 * absolute URL, a protocol-relative `//host` or `/\host` (browsers read `\` as `/`) would
 * send a fresh session to someone else's page, so they are refused.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return DEFAULT_AFTER_SIGN_IN;
  try {
    const origin = window.location.origin;
    const url = new URL(next, origin);
    if (url.origin !== origin) return DEFAULT_AFTER_SIGN_IN;
    const path = url.pathname + url.search + url.hash;
    return path.startsWith('/sign-in') ? DEFAULT_AFTER_SIGN_IN : path;
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
}
