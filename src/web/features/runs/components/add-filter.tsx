import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { Popover } from 'radix-ui';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { runStatuses, statusWords } from '../../../../shared/run-status.js';
import { filterFields, type FilterChip, type FilterField, type FilterOp } from '../../../../shared/studio/explorer-state.js';
import ui from '../../../components/ui.module.css';
import { experimentQueries } from '../../../lib/queries/experiment-queries.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { useDebouncedValue } from '../../../lib/use-debounced-value.js';
import styles from './explorer.module.css';
import { fieldLabels, fieldsWithKey, operatorsFor } from './filter-chips.js';

/** How long typing must pause before the value suggestions are asked for. */
const SUGGEST_DELAY_MS = 150;

/** "Add filter": pick a field, an operator and a value, with existing keys and values suggested. */
export function AddFilter({ experimentIds, onAdd }: { experimentIds: string[]; onAdd: (chip: FilterChip) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button type="button" className={ui.button}>
          <Plus size={15} aria-hidden /> Add filter
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className={ui.popover} align="start" sideOffset={6} aria-label="Add filter">
          <FilterForm
            experimentIds={experimentIds}
            onAdd={(chip) => {
              onAdd(chip);
              setOpen(false);
            }}
          />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function FilterForm({ experimentIds, onAdd }: { experimentIds: string[]; onAdd: (chip: FilterChip) => void }) {
  const id = useId();
  const [field, setField] = useState<FilterField>('tag');
  const [key, setKey] = useState('');
  const [op, setOp] = useState<FilterOp>('=');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const keys = useQuery(runQueries.keys(experimentIds));
  const experiments = useQuery({ ...experimentQueries.list(), enabled: field === 'experiment' });
  const valueEntity = field === 'param' ? 'param' : field === 'tag' ? 'tag' : field === 'submitter' ? 'user' : field === 'compute' ? 'compute' : null;
  // Suggestions are asked for once typing pauses (150 ms), not on every keystroke; the same
  // field, key and prefix again is the same query key, answered from the cache.
  const typed = useMemo(() => ({ entity: valueEntity, key, prefix: value }) as const, [valueEntity, key, value]);
  const asked = useDebouncedValue(typed, SUGGEST_DELAY_MS);
  const suggestions = useQuery({
    ...runQueries.keyValues(asked.entity ?? 'tag', asked.key, asked.prefix, experimentIds),
    enabled: asked.entity !== null && (!fieldsWithKey.has(field) || asked.key !== ''),
  });
  const keyOptions = field === 'metric' ? keys.data?.metrics : field === 'param' ? keys.data?.params : field === 'tag' ? keys.data?.tags.filter((k) => !k.startsWith('mlflow.') || k === 'mlflow.note.content') : [];

  const changeField = (next: FilterField) => {
    setField(next);
    setOp(operatorsFor(next)[0]![0]);
    setKey('');
    setValue(next === 'status' ? 'RUNNING' : '');
    setError(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (fieldsWithKey.has(field) && key.trim() === '') return setError(`Choose which ${fieldLabels[field].toLowerCase()} to filter on.`);
    if (op !== 'exists' && value.trim() === '') return setError('Enter a value.');
    if (field === 'metric' && op !== 'exists' && Number.isNaN(Number(value))) return setError('A metric is compared with a number.');
    if (field === 'created' && Number.isNaN(Date.parse(value))) return setError('Enter a date.');
    onAdd({ field, op, value: op === 'exists' ? '' : value.trim(), ...(fieldsWithKey.has(field) ? { key: key.trim() } : {}) });
  };

  return (
    <form className={styles.filterForm} onSubmit={submit} noValidate>
      <div className={styles.filterRow}>
        <label className={ui.field}>
          Field
          <select className={ui.input} value={field} onChange={(e) => changeField(e.target.value as FilterField)}>
            {filterFields.map((f) => (
              <option key={f} value={f}>
                {fieldLabels[f]}
              </option>
            ))}
          </select>
        </label>
        {fieldsWithKey.has(field) ? (
          <label className={ui.field}>
            Key
            <input className={ui.input} list={`${id}-keys`} value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" />
            <datalist id={`${id}-keys`}>{keyOptions?.map((k) => <option key={k} value={k} />)}</datalist>
          </label>
        ) : (
          <span />
        )}
      </div>
      <div className={styles.filterRow}>
        <label className={ui.field}>
          Operator
          <select className={ui.input} value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
            {operatorsFor(field).map(([o, label]) => (
              <option key={o} value={o}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {op === 'exists' ? (
          <span />
        ) : (
          <label className={ui.field}>
            Value
            {field === 'status' ? (
              <select className={ui.input} value={value} onChange={(e) => setValue(e.target.value)}>
                {runStatuses.map((s) => (
                  <option key={s} value={s}>
                    {statusWords[s]}
                  </option>
                ))}
              </select>
            ) : field === 'experiment' ? (
              <select className={ui.input} value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">Choose…</option>
                {experiments.data?.map((e) => (
                  <option key={e.experimentId} value={e.experimentId}>
                    {e.name}
                  </option>
                ))}
              </select>
            ) : field === 'created' ? (
              <input className={ui.input} type="date" value={value} onChange={(e) => setValue(e.target.value)} />
            ) : (
              <>
                <input className={ui.input} list={`${id}-values`} value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" inputMode={field === 'metric' ? 'decimal' : undefined} />
                <datalist id={`${id}-values`}>{suggestions.data?.map((v) => <option key={v} value={v} />)}</datalist>
              </>
            )}
          </label>
        )}
      </div>
      {error && (
        <p className={ui.error} role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className={`${ui.button} ${ui.primary}`}>
          Apply filter
        </button>
      </div>
    </form>
  );
}
