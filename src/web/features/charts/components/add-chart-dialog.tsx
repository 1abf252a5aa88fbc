import { useQuery } from '@tanstack/react-query';
import { BarChart3 } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useState, type FormEvent } from 'react';
import { chartKinds, type ChartKind, type ChartPanel } from '../../../../shared/studio/explorer-state.js';
import ui from '../../../components/ui.module.css';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { DEFAULT_PANEL_RUNS, newPanelId, panelDefinitions } from '../panel-registry.js';
import styles from './charts.module.css';

/** "Add chart": a kind, then what that kind plots. */
export function AddChartDialog({ experimentIds, onAdd }: { experimentIds: string[]; onAdd: (panel: ChartPanel) => void }) {
  const [open, setOpen] = useState(false);
  const keys = useQuery({ ...runQueries.keys(experimentIds), enabled: open });
  const [kind, setKind] = useState<ChartKind>('line');
  const [metric, setMetric] = useState('');
  const [xAxis, setXAxis] = useState<'step' | 'time' | 'relative'>('step');
  const [aggregate, setAggregate] = useState<'last' | 'min' | 'max'>('last');
  const [x, setX] = useState('');
  const [y, setY] = useState('');
  const [axes, setAxes] = useState<string[]>([]);
  const [runs, setRuns] = useState(DEFAULT_PANEL_RUNS);
  const [error, setError] = useState<string | null>(null);
  const fields = [...(keys.data?.params ?? []).map((k) => `param:${k}`), ...(keys.data?.metrics ?? []).map((k) => `metric:${k}`)];
  const fieldLabel = (f: string) => (f.startsWith('param:') ? `${f.slice(6)} (property)` : `${f.slice(7)} (metric)`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const panel: ChartPanel = { id: newPanelId(), kind, runs, ...(kind === 'line' ? { metric, xAxis } : kind === 'bar' ? { metric, aggregate } : kind === 'scatter' ? { x, y } : { axes }) };
    if (!panelDefinitions[kind].complete(panel)) {
      return setError(kind === 'scatter' ? 'Choose what goes on each axis.' : kind === 'parallel' ? 'Choose at least two axes.' : 'Choose a metric.');
    }
    onAdd(panel);
    setOpen(false);
    setError(null);
  };
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className={ui.button}>
          <BarChart3 size={15} aria-hidden /> Add chart
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content className={styles.dialog}>
          <Dialog.Title className={styles.dialogTitle}>Add chart</Dialog.Title>
          <Dialog.Description className={styles.muted}>Plots the selected runs, or else the first rows of the table.</Dialog.Description>
          <form onSubmit={submit} className={styles.form} noValidate>
            <label className={ui.field}>
              Chart type
              <select className={ui.input} value={kind} onChange={(e) => setKind(e.target.value as ChartKind)}>
                {chartKinds.map((k) => (
                  <option key={k} value={k}>
                    {panelDefinitions[k].label}
                  </option>
                ))}
              </select>
            </label>
            {(kind === 'line' || kind === 'bar') && (
              <label className={ui.field}>
                Metric
                <select className={ui.input} value={metric} onChange={(e) => setMetric(e.target.value)}>
                  <option value="">Choose…</option>
                  {keys.data?.metrics.map((k) => <option key={k} value={k}>{k}</option>)}
                </select>
              </label>
            )}
            {kind === 'line' && (
              <label className={ui.field}>
                X axis
                <select className={ui.input} value={xAxis} onChange={(e) => setXAxis(e.target.value as typeof xAxis)}>
                  <option value="step">Step</option>
                  <option value="time">Wall time</option>
                  <option value="relative">Relative time</option>
                </select>
              </label>
            )}
            {kind === 'bar' && (
              <label className={ui.field}>
                Value per run
                <select className={ui.input} value={aggregate} onChange={(e) => setAggregate(e.target.value as typeof aggregate)}>
                  <option value="last">Last</option>
                  <option value="min">Minimum</option>
                  <option value="max">Maximum</option>
                </select>
              </label>
            )}
            {kind === 'scatter' &&
              ([['X axis', x, setX], ['Y axis', y, setY]] as const).map(([label, value, set]) => (
                <label key={label} className={ui.field}>
                  {label}
                  <select className={ui.input} value={value} onChange={(e) => set(e.target.value)}>
                    <option value="">Choose…</option>
                    {fields.map((f) => <option key={f} value={f}>{fieldLabel(f)}</option>)}
                  </select>
                </label>
              ))}
            {kind === 'parallel' && (
              <fieldset className={styles.axes}>
                <legend className={ui.field}>Axes</legend>
                {fields.map((f) => (
                  <label key={f} className={styles.axis}>
                    <input type="checkbox" checked={axes.includes(f)} onChange={(e) => setAxes((a) => (e.target.checked ? [...a, f] : a.filter((v) => v !== f)))} />
                    {fieldLabel(f)}
                  </label>
                ))}
              </fieldset>
            )}
            <label className={ui.field}>
              Runs to plot when none is selected
              <input className={ui.input} type="number" min={1} max={50} value={runs} onChange={(e) => setRuns(Math.min(50, Math.max(1, Number(e.target.value) || 1)))} />
            </label>
            {error && <p className={ui.error} role="alert">{error}</p>}
            <div className={styles.actions}>
              <Dialog.Close asChild>
                <button type="button" className={ui.button}>Discard</button>
              </Dialog.Close>
              <button type="submit" className={`${ui.button} ${ui.primary}`}>Add chart</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
