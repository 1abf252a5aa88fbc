import { Link } from '@tanstack/react-router';
import { GitCompare, X } from 'lucide-react';
import ui from '../../../components/ui.module.css';

/** "Compare" the selected runs side by side (two or more); "Clear selection". */
export function CompareButton({ selected, onClear }: { selected: readonly string[]; onClear: () => void }) {
  if (selected.length === 0) return null;
  return (
    <>
      {selected.length >= 2 ? (
        <Link to="/compare" search={{ runs: selected.join(',') }} className={`${ui.button} ${ui.primary}`}>
          <GitCompare size={15} aria-hidden /> Compare {selected.length} runs
        </Link>
      ) : (
        <span className={ui.field}>Select another run to compare</span>
      )}
      <button type="button" className={`${ui.button} ${ui.ghost}`} onClick={onClear}>
        <X size={15} aria-hidden /> Clear selection
      </button>
    </>
  );
}
