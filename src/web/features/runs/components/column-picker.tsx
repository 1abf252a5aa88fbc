import { useQuery } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Columns3 } from 'lucide-react';
import { Popover } from 'radix-ui';
import { useState } from 'react';
import ui from '../../../components/ui.module.css';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { builtInColumnIds, columnLabel } from './columns.js';
import styles from './explorer.module.css';

const describe = (id: string) => {
  const { label, kind } = columnLabel(id);
  return kind ? `${label} (${kind})` : label;
};

/** Shows, hides and reorders columns; offers every property, metric and tag in scope. */
export function ColumnPicker({ columns, experimentIds, onChange }: { columns: string[]; experimentIds: string[]; onChange: (columns: string[]) => void }) {
  const [find, setFind] = useState('');
  const keys = useQuery(runQueries.keys(experimentIds));
  const shown = new Set(columns);
  const match = (id: string) => describe(id).toLowerCase().includes(find.toLowerCase());
  const groups: Array<[string, string[]]> = [
    ['Run', builtInColumnIds.filter((id) => !shown.has(id))],
    ['Properties', (keys.data?.params ?? []).map((k) => `param:${k}`)],
    ['Metrics', (keys.data?.metrics ?? []).map((k) => `metric:${k}`)],
    ['Tags', (keys.data?.tags ?? []).filter((k) => !k.startsWith('mlflow.') && !k.startsWith('runstudio.')).map((k) => `tag:${k}`)],
  ];
  const move = (index: number, by: number) => {
    const next = [...columns];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <button type="button" className={ui.button}>
          <Columns3 size={15} aria-hidden /> Columns
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className={ui.popover} align="end" sideOffset={6} aria-label="Columns">
          <div className={styles.pickerGroup}>Shown, in order</div>
          <div className={styles.pickerList}>
            {columns.map((id, i) => (
              <div key={id} className={styles.pickerItem}>
                <label>
                  <input type="checkbox" checked disabled={id === 'name'} onChange={() => onChange(columns.filter((c) => c !== id))} />
                  {describe(id)}
                </label>
                <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label={`Move ${describe(id)} left`} disabled={i === 0} onClick={() => move(i, -1)}>
                  <ArrowUp size={14} aria-hidden />
                </button>
                <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label={`Move ${describe(id)} right`} disabled={i === columns.length - 1} onClick={() => move(i, 1)}>
                  <ArrowDown size={14} aria-hidden />
                </button>
              </div>
            ))}
          </div>
          <input type="search" aria-label="Find a column" placeholder="Find a property, metric or tag…" value={find} onChange={(e) => setFind(e.target.value)} className={`${ui.input} ${styles.fullWidth}`} />
          <div className={styles.pickerList}>
            {groups.map(([group, ids]) => {
              const visible = ids.filter((id) => !shown.has(id) && match(id));
              if (visible.length === 0) return null;
              return (
                <div key={group}>
                  <div className={styles.pickerGroup}>{group}</div>
                  {visible.map((id) => (
                    <div key={id} className={styles.pickerItem}>
                      <label>
                        <input type="checkbox" checked={false} onChange={() => onChange([...columns, id])} />
                        {describe(id)}
                      </label>
                    </div>
                  ))}
                </div>
              );
            })}
            {groups.every(([, ids]) => ids.filter((id) => !shown.has(id) && match(id)).length === 0) && <p className={styles.count}>No other columns{find ? ` match “${find}”` : ''}.</p>}
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
