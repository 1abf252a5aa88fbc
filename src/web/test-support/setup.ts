/**
 * Runs before every web test file (vitest.config.ts, project `web`): jest-dom matchers, the
 * browser APIs jsdom lacks that the app uses, a layout jsdom does not compute, and a fetch
 * that reaches the test's server the way a browser would (relative URLs, the identity cookie).
 */
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { usePreferences } from '../lib/preferences.js';
import { cookieJar } from './cookie-jar.js';
import { TEST_USER } from './identity.js';
import { layout, resetLayout } from './layout.js';
import { FakeEventSource, FakeIntersectionObserver, FakeResizeObserver } from './observers.js';

// The first screen of a file also loads its code and its server: allow it a few seconds.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  cookieJar.clear();
  // The preferences store outlives a test in memory; each test starts from the defaults.
  usePreferences.setState(usePreferences.getInitialState(), true);
  resetLayout();
  FakeIntersectionObserver.instances.clear();
  FakeEventSource.instances.clear();
});

// react-virtual measures rows with flushSync inside React's commit; React warns about it in
// development. It is the library's known behaviour, harmless here, and drowns the output.
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('flushSync was called from inside a lifecycle method')) return;
  consoleError(...args);
};

// --- Browser APIs jsdom lacks ---------------------------------------------------------

Object.assign(globalThis, {
  ResizeObserver: FakeResizeObserver,
  IntersectionObserver: FakeIntersectionObserver,
  EventSource: FakeEventSource,
});

window.matchMedia = (query: string): MediaQueryList =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }) as MediaQueryList;

// Scrolling moves scrollTop (which jsdom keeps) and fires `scroll`, as a browser does.
function scrollTo(this: Element, xOrOptions?: number | ScrollToOptions, y?: number) {
  const top = typeof xOrOptions === 'object' ? xOrOptions.top : y;
  if (top !== undefined) this.scrollTop = Math.max(0, top);
  this.dispatchEvent(new Event('scroll'));
}
Element.prototype.scrollTo = scrollTo;
Element.prototype.scrollBy = function scrollBy(this: Element, xOrOptions?: number | ScrollToOptions, y?: number) {
  const by = typeof xOrOptions === 'object' ? (xOrOptions.top ?? 0) : (y ?? 0);
  scrollTo.call(this, { top: this.scrollTop + by });
};
Element.prototype.scrollIntoView = () => undefined;
window.scrollTo = () => undefined;
// Radix primitives capture the pointer; jsdom has no pointer capture.
Element.prototype.hasPointerCapture = () => false;
Element.prototype.setPointerCapture = () => undefined;
Element.prototype.releasePointerCapture = () => undefined;

// --- Layout ---------------------------------------------------------------------------
// jsdom lays nothing out: every box is 0×0, so a virtualised list would show no row and a
// chart no line. Every element here is as large as `layout` says (a test may change it).

Object.defineProperties(HTMLElement.prototype, {
  clientHeight: { configurable: true, get: () => layout.height },
  clientWidth: { configurable: true, get: () => layout.width },
  offsetHeight: { configurable: true, get: () => layout.height },
  offsetWidth: { configurable: true, get: () => layout.width },
  // A scroller's content is as tall as its tallest child says in its style (a virtual list
  // sizes its inner box to every row's height), so it can be scrolled to any row.
  scrollHeight: {
    configurable: true,
    get(this: HTMLElement) {
      return Math.max(layout.height, ...[...this.children].map((child) => parseFloat((child as HTMLElement).style?.height ?? '') || 0));
    },
  },
});
HTMLElement.prototype.getBoundingClientRect = function getBoundingClientRect(): DOMRect {
  return { x: 0, y: 0, top: 0, left: 0, width: layout.width, height: layout.height, right: layout.width, bottom: layout.height, toJSON: () => ({}) };
};

// --- Network --------------------------------------------------------------------------
// Node's fetch wants absolute URLs and keeps no cookies. The app fetches `/api/...` as a page
// served by Runstudio does: resolve against the page's origin (the test server, see
// test-support/server.ts) and send one identity cookie, so "my views" stay mine across requests,
// and the cookies the server set (a team server's session, see cookie-jar.ts).

const nodeFetch = globalThis.fetch;

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(raw, window.location.origin);
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  const sameOrigin = url.origin === window.location.origin;
  if (sameOrigin && !headers.has('cookie')) headers.set('cookie', [`rs_uid=${TEST_USER}`, cookieJar.header()].filter(Boolean).join('; '));
  const response = input instanceof Request ? await nodeFetch(new Request(url, input), { ...init, headers }) : await nodeFetch(url, { ...init, headers });
  if (sameOrigin) cookieJar.keep(response);
  return response;
};
