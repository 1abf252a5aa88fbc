import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChevronDown, ChevronUp, Download, Radio } from 'lucide-react';
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import ui from '../../../components/ui.module.css';
import { logStreamUrl, logUrl, runDetailQueries } from '../api/run-detail-queries.js';
import { AnsiLine } from './ansi-line.js';
import styles from './log-viewer.module.css';

const PAGE = 500;
const LINE_HEIGHT = 20;

/**
 * A log of any size: only the windows of lines on screen are fetched (never the whole
 * file), with line numbers, ANSI colours, search with next/previous, download, and a live
 * tail over server-sent events while the run runs.
 */
export function LogViewer({ runId, name, live }: { runId: string; name: string; live: boolean }) {
  const queryClient = useQueryClient();
  const first = useQuery(runDetailQueries.logLines(runId, name, 0, PAGE));
  const [liveTotal, setLiveTotal] = useState(0);
  const total = Math.max(first.data?.totalLines ?? 0, liveTotal);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_HEIGHT, overscan: 40 });
  const items = virtualizer.getVirtualItems();
  const pageStarts = useMemo(() => [...new Set(items.map((i) => Math.floor(i.index / PAGE) * PAGE))], [items]);
  const pages = useQueries({ queries: pageStarts.map((start) => runDetailQueries.logLines(runId, name, start, PAGE)) });
  const lineAt = (index: number): string | null => {
    const start = Math.floor(index / PAGE) * PAGE;
    const page = pages[pageStarts.indexOf(start)]?.data ?? (start === 0 ? first.data : undefined);
    return page?.lines[index - start] ?? null;
  };

  // Live tail: each append event re-reads the last window; the view follows the end if it was there.
  const lastWindowStart = useEffectEvent(() => Math.floor(Math.max(0, total - 1) / PAGE) * PAGE);
  useEffect(() => {
    if (!live || !first.data) return undefined;
    const source = new EventSource(logStreamUrl(runId, name, first.data.size));
    let pending = false;
    source.addEventListener('append', () => {
      if (pending) return;
      pending = true;
      const scroller = scrollRef.current;
      const atEnd = !scroller || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - LINE_HEIGHT * 2;
      const start = lastWindowStart();
      // Re-read into the cache (staleTime 0: the window is known to have grown); a failed read waits for the next append.
      queryClient
        .fetchQuery({ ...runDetailQueries.logLines(runId, name, start, PAGE), staleTime: 0 })
        .then((data) => {
          setLiveTotal(data.totalLines);
          if (atEnd) requestAnimationFrame(() => virtualizer.scrollToIndex(data.totalLines - 1, { align: 'end' }));
        }, () => undefined)
        .finally(() => (pending = false));
    });
    return () => source.close();
  }, [live, runId, name, first.data, queryClient, virtualizer]);

  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const search = useQuery(runDetailQueries.logSearch(runId, name, submitted));
  const matches = useMemo(() => search.data?.lines ?? [], [search.data]);
  const [current, setCurrent] = useState(0);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const go = (index: number) => {
    if (matches.length === 0) return;
    const next = (index + matches.length) % matches.length;
    setCurrent(next);
    virtualizer.scrollToIndex(matches[next]!, { align: 'center' });
  };
  useEffect(() => {
    if (matches.length > 0) {
      setCurrent(0);
      virtualizer.scrollToIndex(matches[0]!, { align: 'center' });
    }
  }, [matches, virtualizer]);

  return (
    <div className={styles.viewer}>
      <div className={styles.bar}>
        <span className={styles.name}>{name}</span>
        {live && (
          <span className={styles.live}>
            <Radio size={13} aria-hidden /> Live
          </span>
        )}
        <form
          className={styles.search}
          onSubmit={(e) => {
            e.preventDefault();
            if (query === submitted) go(current + 1);
            else setSubmitted(query);
          }}
        >
          <input type="search" className={ui.input} aria-label="Search log" placeholder="Search log" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="button" className={`${ui.button} ${ui.icon}`} aria-label="Previous match" disabled={matches.length === 0} onClick={() => go(current - 1)}>
            <ChevronUp size={15} aria-hidden />
          </button>
          <button type="button" className={`${ui.button} ${ui.icon}`} aria-label="Next match" disabled={matches.length === 0} onClick={() => go(current + 1)}>
            <ChevronDown size={15} aria-hidden />
          </button>
          <span role="status" className={`num ${styles.matches}`}>
            {submitted === '' ? '' : search.isPending ? 'Searching…' : matches.length === 0 ? 'No matches' : `${current + 1} of ${matches.length}${search.data?.truncated ? '+' : ''} matches`}
          </span>
        </form>
        <a className={ui.button} href={logUrl(runId, name)} download={name}>
          <Download size={15} aria-hidden /> Download
        </a>
      </div>
      <div ref={scrollRef} className={styles.scroller} role="region" aria-label={`Log ${name}`} tabIndex={0}>
        {first.isPending ? (
          <p className={styles.empty} role="status">
            Loading log…
          </p>
        ) : first.error ? (
          <p className={styles.empty} role="alert">
            Could not read this log: {first.error.message}
          </p>
        ) : total === 0 ? (
          <p className={styles.empty}>{live ? 'Nothing logged yet; new lines appear here as they are written.' : 'This log is empty.'}</p>
        ) : (
          <div className={styles.window} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const text = lineAt(item.index);
              return (
                <div
                  key={item.key}
                  className={`${styles.line} ${styles.placed}`}
                  data-match={matchSet.has(item.index)}
                  data-current={matches[current] === item.index}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <span className={styles.number} aria-hidden="true">
                    {item.index + 1}
                  </span>
                  <span className={styles.text}>{text === null ? '…' : <AnsiLine text={text} />}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
