import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useId, useState } from 'react';
import type { FilterChip } from '../../../../shared/studio/explorer-state.js';
import ui from '../../../components/ui.module.css';
import { experimentQueries } from '../../../lib/queries/experiment-queries.js';
import { AddFilter } from './add-filter.js';
import styles from './explorer.module.css';
import { describeChip } from './filter-chips.js';

interface FilterBarProps {
  chips: FilterChip[];
  advanced: string;
  /** The server's message when the combined filter is invalid. */
  filterError: string | null;
  experimentIds: string[];
  onChipsChange: (chips: FilterChip[]) => void;
  onAdvancedChange: (text: string) => void;
}

/** Filter chips, "Add filter", and the advanced mode that takes MLflow's grammar directly. */
export function FilterBar(props: FilterBarProps) {
  const experiments = useQuery(experimentQueries.list());
  const nameOf = (id: string) => experiments.data?.find((e) => e.experimentId === id)?.name ?? `#${id}`;
  const [showAdvanced, setShowAdvanced] = useState(props.advanced !== '');
  return (
    <>
      <div className={styles.filters} role="group" aria-label="Filters">
        {props.chips.map((chip, i) => {
          const text = describeChip(chip, nameOf);
          return (
            <span key={`${text}-${i}`} className={ui.chip}>
              <span className={ui.chipText}>{text}</span>
              <button type="button" className={ui.chipRemove} aria-label={`Remove filter ${text}`} onClick={() => props.onChipsChange(props.chips.filter((_, j) => j !== i))}>
                <X size={13} aria-hidden />
              </button>
            </span>
          );
        })}
        <AddFilter experimentIds={props.experimentIds} onAdd={(chip) => props.onChipsChange([...props.chips, chip])} />
        <button type="button" className={`${ui.button} ${ui.ghost}`} aria-expanded={showAdvanced} onClick={() => setShowAdvanced((v) => !v)}>
          Advanced filter
        </button>
      </div>
      {showAdvanced && <AdvancedFilter value={props.advanced} error={props.filterError} onApply={props.onAdvancedChange} />}
      {!showAdvanced && props.filterError && (
        <p className={ui.error} role="alert">
          {props.filterError}
        </p>
      )}
    </>
  );
}

function AdvancedFilter({ value, error, onApply }: { value: string; error: string | null; onApply: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  // A new applied value (Apply, Clear, back) replaces the draft; see SearchBar.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  return (
    <div className={styles.advanced}>
      <label htmlFor={id} className={ui.field}>
        Filter expression (MLflow syntax, clauses joined with AND)
      </label>
      <textarea
        id={id}
        className={ui.textarea}
        rows={2}
        value={text}
        placeholder="metrics.loss < 0.5 and params.lr = '0.01' and tags.quality LIKE '%great%'"
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) onApply(text.trim());
        }}
      />
      {error && (
        <p id={`${id}-error`} className={ui.error} role="alert">
          {error}
        </p>
      )}
      <div className={styles.advancedActions}>
        <button type="button" className={`${ui.button} ${ui.primary}`} onClick={() => onApply(text.trim())}>
          Apply expression
        </button>
        {value !== '' && (
          <button type="button" className={ui.button} onClick={() => onApply('')}>
            Clear expression
          </button>
        )}
      </div>
    </div>
  );
}
