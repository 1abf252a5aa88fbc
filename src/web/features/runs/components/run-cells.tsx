import { Link } from '@tanstack/react-router';
import { ChevronDown, ChevronRight } from 'lucide-react';
import type { StudioRun } from '../../../../shared/studio/runs.js';
import { isSystemTag } from '../../../lib/tags.js';
import styles from './run-cells.module.css';

/** Display name, indented by depth, with the button that shows or hides child runs. */
export function NameCell({ run, depth, expanded, onToggle }: { run: StudioRun; depth: number; expanded: boolean; onToggle: (runId: string) => void }) {
  return (
    <div className={styles.nameCell} style={{ paddingLeft: `${depth * 1.25}rem` }}>
      {run.childCount > 0 ? (
        <button
          type="button"
          className={styles.toggle}
          aria-expanded={expanded}
          aria-label={expanded ? 'Hide child runs' : 'Show child runs'}
          title={`${expanded ? 'Hide' : 'Show'} ${run.childCount} child run${run.childCount === 1 ? '' : 's'}`}
          onClick={() => onToggle(run.runId)}
        >
          {expanded ? <ChevronDown size={16} aria-hidden /> : <ChevronRight size={16} aria-hidden />}
        </button>
      ) : (
        <span className={styles.spacer} />
      )}
      <Link to="/runs/$runId" params={{ runId: run.runId }} className={styles.runLink}>
        {run.runName}
      </Link>
      {depth > 0 && <span className="visually-hidden">, child run at level {depth + 1}</span>}
      {run.childCount > 0 && <span className={`${styles.childCount} num`}>{run.childCount}</span>}
    </div>
  );
}

export function TagsCell({ tags }: { tags: Record<string, string> }) {
  const visible = Object.entries(tags).filter(([key]) => !isSystemTag(key));
  return (
    <div className={styles.tags}>
      {visible.map(([key, value]) => (
        <span key={key} className={styles.tag} title={value ? `${key}: ${value}` : key}>
          {value ? `${key}: ${value}` : key}
        </span>
      ))}
    </div>
  );
}

export function TextCell({ text, numeric = false }: { text: string | undefined; numeric?: boolean }) {
  if (text === undefined || text === '') return <span className={styles.muted} aria-label="none" />;
  return (
    <span className={`${styles.ellipsis}${numeric ? ' num' : ''}`} title={text}>
      {text}
    </span>
  );
}
