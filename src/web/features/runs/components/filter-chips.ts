import type { FilterChip, FilterField, FilterOp } from '../../../../shared/studio/explorer-state.js';
import { statusWords, type RunStatus } from '../../../../shared/run-status.js';

export const fieldLabels: Record<FilterField, string> = {
  tag: 'Tag',
  param: 'Property',
  metric: 'Metric',
  status: 'Status',
  experiment: 'Experiment',
  compute: 'Compute target',
  submitter: 'Submitter',
  created: 'Created',
  dataset: 'Dataset',
};

export const fieldsWithKey: ReadonlySet<FilterField> = new Set(['tag', 'param', 'metric']);

/** The operators a field offers, with the words the form shows for them. */
export function operatorsFor(field: FilterField): Array<[FilterOp, string]> {
  switch (field) {
    case 'metric':
      return [['<', '<'], ['<=', '≤'], ['>', '>'], ['>=', '≥'], ['=', '='], ['!=', '≠'], ['exists', 'is logged']];
    case 'status':
      return [['=', 'is'], ['!=', 'is not']];
    case 'experiment':
      return [['=', 'is']];
    case 'created':
      return [['>=', 'after'], ['<', 'before']];
    // No "is not": the server's `datasets.name != 'x'` keeps a run with any other input
    // besides x (MLflow's meaning), which a chip reading "Dataset is not x" would misstate.
    case 'dataset':
      return [['=', 'is'], ['contains', 'contains']];
    default:
      return [['=', 'is'], ['!=', 'is not'], ['contains', 'contains'], ['exists', 'is set']];
  }
}

/** How a chip reads: "team is vision", "loss < 0.5", "Status is Running". */
export function describeChip(chip: FilterChip, experimentName: (id: string) => string): string {
  const op = operatorsFor(chip.field).find(([o]) => o === chip.op)?.[1] ?? chip.op;
  const subject = fieldsWithKey.has(chip.field) ? (chip.key ?? '') : fieldLabels[chip.field];
  if (chip.op === 'exists') return `${subject} ${op}`;
  const value =
    chip.field === 'status' ? (statusWords[chip.value as RunStatus] ?? chip.value) : chip.field === 'experiment' ? experimentName(chip.value) : chip.value;
  return `${subject} ${op} ${value}`;
}
