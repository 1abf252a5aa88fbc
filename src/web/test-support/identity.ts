/** The browser user of the web tests: the identity cookie every request of the app carries. */
export const TEST_USER = '00000000-0000-4000-8000-00000000beef';
/** Another person of the same workspace (their private views are not ours). */
export const OTHER_USER = '00000000-0000-4000-8000-0000000000a1';
