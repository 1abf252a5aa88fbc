import type { KeyValue } from '../../../../shared/mlflow/types.js';
import styles from './run-details.module.css';

/** Params as a two-column table (a run's properties, a logged model's params), named by its heading. */
export function KeyValueTable({ rows, labelledBy, valueClassName }: { rows: KeyValue[]; labelledBy: string; valueClassName?: string }) {
  return (
    <table className={styles.kvTable} aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.key}>
            <td>{p.key}</td>
            <td className={valueClassName}>{p.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
