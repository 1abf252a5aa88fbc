import { QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../shared/api/index.js';
import { roleReason, type Role, type Session } from '../../shared/studio/auth.js';
import { cookieJar } from '../test-support/cookie-jar.js';
import { createTestQueryClient } from '../test-support/render-app.js';
import { startTestServer } from '../test-support/server.js';
import { seedUser, signInAs } from '../test-support/team.js';
import { api, ApiRequestError, setCsrfToken } from './api-client.js';
import { primeEmbeddedSession, sessionKeys, useCan, useSession, useSessionExpiry } from './session.js';

const server = startTestServer({ auth: 'team' });

beforeAll(async () => {
  await seedUser(server(), 'rita', 'reader');
  await seedUser(server(), 'carl', 'contributor');
});

function renderWithClient<T>(hook: () => T, session?: Session) {
  const queryClient = createTestQueryClient();
  if (session) queryClient.setQueryData(sessionKeys.all, session);
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return renderHook(hook, { wrapper });
}

const local: Session = { mode: 'local', user: { id: 'local', name: 'me', role: 'admin' }, via: 'local', csrfToken: null };

describe('useCan', () => {
  it('allows nothing and says nothing while the session loads', () => {
    const { result } = renderWithClient(() => useCan('reader'));
    expect(result.current).toEqual({ allowed: false, reason: null });
  });

  it('allows everything in local mode, where the one user is an admin', () => {
    for (const role of ['reader', 'contributor', 'admin'] as Role[]) {
      expect(renderWithClient(() => useCan(role), local).result.current).toEqual({ allowed: true, reason: null });
    }
  });

  it("tells a signed-in reader why they may not change runs, and a contributor why they may not administer", async () => {
    await signInAs(server(), 'rita');
    const reader = renderWithClient(() => [useCan('reader'), useCan('contributor')] as const);
    await waitFor(() => expect(reader.result.current[0].allowed).toBe(true));
    expect(reader.result.current[1]).toEqual({ allowed: false, reason: roleReason('contributor') });

    await signInAs(server(), 'carl');
    const contributor = renderWithClient(() => [useCan('contributor'), useCan('admin')] as const);
    await waitFor(() => expect(contributor.result.current[0].allowed).toBe(true));
    expect(contributor.result.current[1]).toEqual({ allowed: false, reason: roleReason('admin') });
  });

  it('signed out of a team server, allows nothing', async () => {
    const { result } = renderWithClient(() => ({ session: useSession(), can: useCan('reader') }));
    await waitFor(() => expect(result.current.session.data).toEqual({ mode: 'team', user: null, via: null, csrfToken: null }));
    expect(result.current.can).toEqual({ allowed: false, reason: null });
  });
});

describe('the session and the API client', () => {
  it('reads the session again when a call is answered 401, so the page shows sign-in', async () => {
    await signInAs(server(), 'rita');
    const { result } = renderWithClient(() => {
      useSessionExpiry();
      return useSession();
    });
    await waitFor(() => expect(result.current.data?.user?.name).toBe('rita'));
    cookieJar.clear(); // the session ended elsewhere (expired, or signed out in another tab)
    await expect(api(endpoints.views.list)).rejects.toSatisfy((e) => e instanceof ApiRequestError && e.status === 401);
    await waitFor(() => expect(result.current.data?.user).toBeNull());
  });

  it("sends the session's CSRF token with every write once the session is read", async () => {
    await signInAs(server(), 'carl');
    const save = () => api(endpoints.views.create, { body: { name: `csrf-${Date.now()}`, visibility: 'private', experimentId: null, state: {} } });
    setCsrfToken(null);
    await expect(save()).rejects.toSatisfy((e) => e instanceof ApiRequestError && e.status === 403 && /CSRF/.test(e.message));

    const { result } = renderWithClient(() => useSession());
    await waitFor(() => expect(result.current.data?.csrfToken).toEqual(expect.any(String)));
    await expect(save()).resolves.toBeDefined();
  });
});

describe('the session the server embeds in the page', () => {
  it('is in the cache before any request, with its CSRF token handed to the client, and taken out of the DOM', async () => {
    // As spa.ts writes it for a signed-in contributor (its test checks the server's side).
    await signInAs(server(), 'carl');
    const { csrfToken } = await api(endpoints.auth.session);
    const embedded: Session = { mode: 'team', user: { id: 'x', name: 'carl', role: 'contributor' }, via: 'session', csrfToken };
    setCsrfToken(null);
    document.body.insertAdjacentHTML('beforeend', `<script type="application/json" id="runstudio-session">${JSON.stringify(embedded)}</script>`);
    const client = primeEmbeddedSession(createTestQueryClient());
    expect(client.getQueryData(sessionKeys.all)).toEqual(embedded);
    // Its token is the one writes carry now: a cookie write goes through.
    await api(endpoints.views.create, { body: { name: 'carl-embedded', state: {} } });
    expect(document.getElementById('runstudio-session')).toBeNull();
    expect(primeEmbeddedSession(createTestQueryClient()).getQueryData(sessionKeys.all)).toBeUndefined();
  });

  it('is ignored when it does not parse', () => {
    document.body.insertAdjacentHTML('beforeend', '<script type="application/json" id="runstudio-session">{not json</script>');
    expect(primeEmbeddedSession(createTestQueryClient()).getQueryData(sessionKeys.all)).toBeUndefined();
  });
});
