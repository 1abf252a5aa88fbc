import { useTable, type Header } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { orderByForColumn } from '../../../../shared/studio/explorer-state.js';
import type { TreeRow } from '../hooks/use-tree-rows.js';
import { buildColumns, columnLabel, features } from './columns.js';
import { LoadMoreRow } from './load-more-row.js';
import styles from './run-table.module.css';

interface RunTableProps {
  rows: TreeRow[];
  columns: string[];
  sort: string;
  desc: boolean;
  total: number;
  expanded: ReadonlySet<string>;
  widths: Record<string, number>;
  selected: ReadonlySet<string>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  onSort: (column: string) => void;
  onToggle: (runId: string) => void;
  onSelect: (runId: string, selected: boolean) => void;
  onWidthsChange: (widths: Record<string, number>) => void;
  onLoadMore: () => void;
}

const ROW_HEIGHT = 34;

/**
 * The run table: a real <table> with sticky headers whose rows are virtualised (only what
 * is on screen is in the DOM) and which asks for the next keyset page near the end.
 */
export function RunTable(props: RunTableProps) {
  const { rows, expanded, onToggle, selected, onSelect, widths, onWidthsChange } = props;
  const columns = useMemo(() => buildColumns(props.columns, { expanded, onToggle, selected, onSelect }), [props.columns, expanded, onToggle, selected, onSelect]);
  // Widths belong to the explorer's state (URL, views): written once, when a drag ends.
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    columnResizeMode: 'onEnd',
    state: { columnSizing: widths },
    onColumnSizingChange: (updater) => onWidthsChange(typeof updater === 'function' ? updater(widths) : updater),
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, onLoadMore } = props;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 30) onLoadMore();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, onLoadMore]);

  const tableRows = table.getRowModel().rows;
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const colCount = columns.length;

  return (
    <div ref={scrollRef} className={styles.scroller} tabIndex={-1}>
      <table className={styles.table} aria-label="Runs" aria-rowcount={props.total + 1}>
        <colgroup>
          {table.getFlatHeaders().map((header) => (
            <col key={header.id} style={{ width: header.getSize() }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header} sort={props.sort} desc={props.desc} onSort={props.onSort} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr className={styles.spacerRow} aria-hidden="true">
              <td colSpan={colCount} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = tableRows[item.index];
            if (!row) return null;
            const original = row.original;
            if (original.kind === 'more') return <LoadMoreRow key={row.id} row={original} colCount={colCount} height={ROW_HEIGHT} scrollRef={scrollRef} />;
            if (original.kind !== 'run') {
              const text = original.kind === 'loading' ? 'Loading child runs…' : original.kind === 'empty' ? 'No child runs' : `Could not load child runs: ${original.message}`;
              return (
                <tr key={row.id} className={styles.placeholder} style={{ height: ROW_HEIGHT }}>
                  <td colSpan={colCount} style={{ paddingLeft: `${original.depth * 1.25 + 2.2}rem` }} role={original.kind === 'error' ? 'alert' : undefined}>
                    {text}
                  </td>
                </tr>
              );
            }
            return (
              <tr key={row.id} aria-rowindex={item.index + 2} data-run-id={original.run.runId} style={{ height: ROW_HEIGHT }}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr className={styles.spacerRow} aria-hidden="true">
              <td colSpan={colCount} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {isFetchingNextPage && (
        <p className={styles.footer} role="status">
          Loading more runs…
        </p>
      )}
    </div>
  );
}

function HeaderCell({ header, sort, desc, onSort }: { header: Header<typeof features, TreeRow>; sort: string; desc: boolean; onSort: (column: string) => void }) {
  const id = header.column.id;
  const { label, kind } = columnLabel(id);
  if (id === 'select') {
    return (
      <th scope="col">
        <span className="visually-hidden">Select</span>
      </th>
    );
  }
  const sortable = orderByForColumn(id) !== null;
  const active = sort === id;
  const resize = (delta: number) => header.getContext().table.setColumnSizing((old) => ({ ...old, [id]: Math.min(900, Math.max(60, header.getSize() + delta)) }));
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      resize(event.key === 'ArrowLeft' ? -20 : 20);
    }
  };
  return (
    <th scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : sortable ? 'none' : undefined}>
      <div className={styles.headerInner}>
        {sortable ? (
          <button type="button" className={styles.sortButton} onClick={() => onSort(id)} title={`Sort by ${label}`}>
            {label}
            {kind && <span className={styles.kind}>{kind}</span>}
            {active && (desc ? <ArrowDown size={14} aria-hidden /> : <ArrowUp size={14} aria-hidden />)}
          </button>
        ) : (
          <span>{label}</span>
        )}
        <div
          role="separator"
          aria-orientation="vertical"
          aria-label={`Resize ${label} column`}
          aria-valuenow={header.getSize()}
          aria-valuemin={60}
          aria-valuemax={900}
          tabIndex={0}
          className={`${styles.resizer} ${header.column.getIsResizing() ? styles.resizing : ''}`}
          onPointerDown={header.getResizeHandler()}
          onDoubleClick={() => header.column.resetSize()}
          onKeyDown={onKeyDown}
        />
      </div>
    </th>
  );
}
