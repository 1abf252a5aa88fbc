import { QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useDebouncedValue } from '../../../lib/use-debounced-value.js';
import { createTestQueryClient } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { AddFilter } from './add-filter.js';

const server = startTestServer();

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'suggestions');
  for (const team of ['cv', 'cv2', 'nlp']) await seedRun(server(), experimentId, { name: `run-${team}`, tags: { team } });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('useDebouncedValue', () => {
  it('gives the first value at once, and a new one only after it has held for the delay', () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ value }) => useDebouncedValue(value, 150), { initialProps: { value: 'a' } });
    expect(result.current).toBe('a');
    rerender({ value: 'ab' });
    act(() => {
      vi.advanceTimersByTime(100);
    });
    rerender({ value: 'abc' });
    act(() => {
      vi.advanceTimersByTime(149);
    });
    expect(result.current).toBe('a');
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(result.current).toBe('abc');
  });
});

describe('the Add filter value suggestions', () => {
  it('are asked for once typing pauses, and not again for a prefix already asked', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    /** `key:prefix` of each suggestions request sent, in order. */
    const asked = () =>
      fetchSpy.mock.calls
        .map(([input]) => new URL(input instanceof Request ? input.url : String(input)))
        .filter((url) => url.pathname.endsWith('/keys/values'))
        .map((url) => `${url.searchParams.get('key')}:${url.searchParams.get('prefix')}`);
    render(
      <QueryClientProvider client={createTestQueryClient()}>
        <AddFilter experimentIds={[experimentId]} onAdd={() => undefined} />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add filter' }));
    const form = await screen.findByRole('dialog', { name: 'Add filter' });
    const keyInput = within(form).getByRole('combobox', { name: 'Key' });
    const valueInput = within(form).getByRole('combobox', { name: 'Value' });
    const suggested = () => [...(document.getElementById(valueInput.getAttribute('list')!)?.querySelectorAll('option') ?? [])].map((o) => o.value);

    // Keystrokes faster than the delay: one request, for what was typed last.
    for (const typed of ['t', 'te', 'tea', 'team']) fireEvent.change(keyInput, { target: { value: typed } });
    expect(asked()).toEqual([]);
    await waitFor(() => expect(suggested()).toEqual(['cv', 'cv2', 'nlp']));
    expect(asked()).toEqual(['team:']);

    for (const typed of ['c', 'cv']) fireEvent.change(valueInput, { target: { value: typed } });
    expect(asked()).toEqual(['team:']);
    await waitFor(() => expect(suggested()).toEqual(['cv', 'cv2']));
    expect(asked()).toEqual(['team:', 'team:cv']);

    // Back to a prefix already asked: answered from the cache, no request.
    fireEvent.change(valueInput, { target: { value: '' } });
    await waitFor(() => expect(suggested()).toEqual(['cv', 'cv2', 'nlp']));
    fireEvent.change(valueInput, { target: { value: 'cv' } });
    await waitFor(() => expect(suggested()).toEqual(['cv', 'cv2']));
    expect(asked()).toEqual(['team:', 'team:cv']);
  });
});
