import type { ControlEvent } from '../../shared/studio/control.js';
import type { RunEvent } from '../../shared/studio/events.js';

/** An event as published, before its experiment is known. */
export type Published =
  | { type: 'run'; event: Omit<RunEvent, 'experimentId'> & { experimentId?: string } }
  | { type: 'control'; runId: string; control: ControlEvent };

/**
 * Events that can stand for each other share a key: a run's metric points of one moment are
 * one `metrics` event, its appends to one log are one `log` event. A status change or a
 * launcher's control message is never merged away (each is kept in order within its key,
 * the last one winning — what a page or a launcher must act on).
 */
export function eventKey(item: Published): string {
  if (item.type === 'control') return `control|${item.runId}|${item.control.event}`;
  const { kind, runId } = item.event;
  return kind === 'log' ? `log|${runId}|${item.event.log ?? ''}` : `${kind}|${runId}`;
}

const union = (a: string[] | undefined, b: string[] | undefined) => (a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined);

/** `later` merged into `earlier` (same key). */
export function coalesce(earlier: Published, later: Published): Published {
  if (earlier.type !== 'run' || later.type !== 'run') return later;
  const a = earlier.event;
  const b = later.event;
  const keys = union(a.keys, b.keys);
  const fields = union(a.fields, b.fields);
  const size = Math.max(a.size ?? 0, b.size ?? 0);
  return {
    type: 'run',
    event: {
      ...a,
      ...b,
      ...(keys ? { keys: keys.slice(0, 100) } : {}),
      ...(fields ? { fields } : {}),
      ...(a.size !== undefined || b.size !== undefined ? { size } : {}),
    },
  };
}
