import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { ChildRun } from '../../../../shared/studio/runs.js';
import { StatusBadge } from '../../../components/status-badge.js';
import ui from '../../../components/ui.module.css';
import { count } from '../../../lib/format.js';
import { RunDuration } from '../../../components/run-duration.js';
import { runDetailQueries } from '../api/run-detail-queries.js';
import styles from './children-tab.module.css';
import { reportError } from '../../../lib/report-error.js';

const ROW_HEIGHT = 32;

/**
 * Child runs: the whole tree below this run in pre-order (each run above its own subtree),
 * read a page at a time as the reader scrolls; only the rows on screen are in the DOM.
 */
export function ChildrenTab({ runId }: { runId: string }) {
  const query = useInfiniteQuery(runDetailQueries.tree(runId));
  const runs = useMemo(() => query.data?.pages.flatMap((p) => p.runs) ?? [], [query.data]);
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: runs.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    // A page ahead of the reader; after a failure, only the button asks again.
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError && lastIndex >= runs.length - 60) fetchNextPage().catch(reportError);
  }, [lastIndex, runs.length, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  if (query.isPending) return <p role="status">Loading child runs…</p>;
  if (query.isError && runs.length === 0) return <p role="alert">Could not load child runs: {query.error.message}</p>;
  if (runs.length === 0) return <p className={styles.muted}>This run has no child runs.</p>;
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div className={styles.tab}>
      <p className={`${styles.status} num`} role="status" aria-live="polite">
        {hasNextPage ? `${count(runs.length)} child runs loaded, more below` : `${count(runs.length)} child run${runs.length === 1 ? '' : 's'}`}
      </p>
      <div ref={scrollRef} className={styles.scroller} role="region" aria-label="Child runs list" tabIndex={0}>
        <table className={styles.table} aria-label="Child runs" aria-rowcount={hasNextPage ? -1 : runs.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Name</th>
              <th scope="col" className={styles.statusCol}>Status</th>
              <th scope="col" className={styles.durationCol}>Duration</th>
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && <Spacer height={paddingTop} />}
            {items.map((item) => {
              const run = runs[item.index];
              if (run) return <ChildRow key={run.runId} run={run} index={item.index} />;
              return (
                <tr key="more" className={styles.more} style={{ height: ROW_HEIGHT }}>
                  <td colSpan={3}>
                    {isFetchNextPageError ? (
                      <span role="alert">
                        Could not load more child runs: {query.error?.message}{' '}
                        <button type="button" className={ui.button} onClick={() => {
                            fetchNextPage().catch(reportError);
                          }}>
                          Try again
                        </button>
                      </span>
                    ) : (
                      'Loading more child runs…'
                    )}
                  </td>
                </tr>
              );
            })}
            {paddingBottom > 0 && <Spacer height={paddingBottom} />}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const Spacer = ({ height }: { height: number }) => (
  <tr aria-hidden="true" className={styles.spacer}>
    <td colSpan={3} style={{ height }} />
  </tr>
);

function ChildRow({ run, index }: { run: ChildRun; index: number }) {
  return (
    <tr aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }}>
      <td style={{ paddingLeft: `${0.75 + (run.depth - 1) * 1.25}rem` }}>
        <span className={styles.name}>
          <Link to="/runs/$runId" params={{ runId: run.runId }} className={styles.link}>
            {run.runName}
          </Link>
          {run.depth > 1 && <span className="visually-hidden">, level {run.depth}</span>}
          {run.childCount > 0 && (
            <span className={`${styles.count} num`} title={`${count(run.childCount)} child runs`}>
              {count(run.childCount)}
            </span>
          )}
        </span>
      </td>
      <td>
        <StatusBadge status={run.status} cancelRequested={run.cancelRequested} />
      </td>
      <td>
        <RunDuration run={run} />
      </td>
    </tr>
  );
}
