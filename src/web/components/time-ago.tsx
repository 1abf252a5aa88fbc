import { exactTime, relativeTime } from '../lib/format.js';

/** A relative time with the exact time on hover. */
export function TimeAgo({ ms }: { ms: number | null | undefined }) {
  if (ms === null || ms === undefined) return <span aria-label="never">—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={exactTime(ms)}>
      {relativeTime(ms)}
    </time>
  );
}
