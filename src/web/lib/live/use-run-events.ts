import { createContext, useContext, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { RunEvent } from '../../../shared/studio/events.js';
import { takeEmbeddedEventsAfter } from '../bootstrap-data.js';
import { openRunEvents, type RunEventScope } from './run-events.js';

export interface UseRunEventsHandlers {
  onEvents: (events: RunEvent[]) => void;
  onReset: () => void;
  /** Caught up for the first time: what changed between the page's first reads and the stream's opening is not in it. */
  onFirstReady?: () => void;
}

/**
 * One run-event stream for the page's scope (null: none yet), open while the component is
 * mounted; returns whether it is up. A new scope opens a new stream that resumes where the
 * old one stopped. The handlers are read when events arrive, not a reason to reconnect.
 */
export function useRunEvents(scope: RunEventScope | null, handlers: UseRunEventsHandlers): boolean {
  const [up, setUp] = useState(false);
  // All runs opened on a page whose first rows came in the HTML resumes from when they were read.
  const [resumeFrom] = useState(() => (scope !== null && !scope.experiments?.length && !scope.runs?.length ? takeEmbeddedEventsAfter() : null));
  const lastId = useRef<string | null>(resumeFrom);
  const onEvents = useEffectEvent((events: RunEvent[]) => handlers.onEvents(events));
  const onReset = useEffectEvent(() => handlers.onReset());
  const onFirstReady = useEffectEvent(() => handlers.onFirstReady?.());
  const key = scope ? JSON.stringify([scope.experiments ?? [], scope.runs ?? []]) : null;
  useEffect(() => {
    if (key === null) return undefined;
    const [experiments, runs] = JSON.parse(key) as [string[], string[]];
    return openRunEvents(
      { experiments, runs },
      {
        onEvents: (events) => onEvents(events),
        onReset: () => onReset(),
        onUp: setUp,
        onReady: (first) => first && onFirstReady(),
      },
      { after: lastId.current, onId: (id) => (lastId.current = id) },
    );
  }, [key]);
  return up;
}

/**
 * Whether the page's run-event stream is up, for what sits below it: while it is, queries
 * are refreshed by events and do not poll; while it is down, they poll as they always did.
 */
export const LiveStream = createContext(false);

export const useLiveStreamUp = (): boolean => useContext(LiveStream);
