import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../shared/studio/events.js';
import { FakeEventSource } from '../../test-support/observers.js';
import { openRunEvents, runEventsUrl } from './run-events.js';

const streams = () => [...FakeEventSource.instances];
const send = (source: FakeEventSource, type: string, data: unknown, id: string) => source.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id }));
const status = (runId: string): RunEvent => ({ kind: 'status', runId, experimentId: '1', status: 'FINISHED' });

describe('the run-event stream of a page', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for its scope, and for every run when it has none', () => {
    expect(runEventsUrl({ experiments: ['1', '2'] })).toMatch(/\/api\/studio\/events\?experiments=1%2C2$/);
    expect(runEventsUrl({ runs: ['a'] }, '42')).toMatch(/\/api\/studio\/events\?runs=a&after=42$/);
    expect(runEventsUrl({})).toMatch(/\/api\/studio\/events$/);
  });

  it('hands over the events of a moment together, and says when it is up or down', () => {
    const onEvents = vi.fn();
    const onUp = vi.fn();
    const onReady = vi.fn();
    const close = openRunEvents({}, { onEvents, onReset: vi.fn(), onUp, onReady });
    const [source] = streams();
    send(source!, 'ready', {}, '10');
    expect(onUp).toHaveBeenLastCalledWith(true);
    expect(onReady).toHaveBeenCalledWith(true);
    send(source!, 'run', status('a'), '11');
    send(source!, 'run', { kind: 'nonsense' }, '12');
    send(source!, 'run', status('b'), '13');
    expect(onEvents).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(onEvents).toHaveBeenCalledExactlyOnceWith([status('a'), status('b')]);
    source!.dispatchEvent(new Event('error'));
    expect(onUp).toHaveBeenLastCalledWith(false);
    close();
    expect(FakeEventSource.instances.size).toBe(0);
  });

  it('opens the stream again where it stopped when the browser gave up on it', () => {
    const onReset = vi.fn();
    const close = openRunEvents({ runs: ['a'] }, { onEvents: vi.fn(), onReset, onUp: vi.fn() }, { reopenMs: 1000 });
    const [first] = streams();
    send(first!, 'ready', {}, '5');
    send(first!, 'run', status('a'), '6');
    first!.readyState = FakeEventSource.CLOSED;
    first!.dispatchEvent(new Event('error'));
    vi.advanceTimersByTime(1000);
    const second = streams().find((s) => s !== first)!;
    expect(second.url).toMatch(/runs=a&after=6$/);
    send(second, 'reset', {}, '90');
    expect(onReset).toHaveBeenCalledOnce();
    close();
  });
});
