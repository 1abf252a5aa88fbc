import { Link } from '@tanstack/react-router';
import { columnResizingFeature, columnSizingFeature, tableFeatures, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { StatusBadge } from '../../../components/status-badge.js';
import { TimeAgo } from '../../../components/time-ago.js';
import { firstLine, metricValue } from '../../../lib/format.js';
import type { TreeRow } from '../hooks/use-tree-rows.js';
import { RunDuration } from '../../../components/run-duration.js';
import { NameCell, TagsCell, TextCell } from './run-cells.js';
import { DatasetsCell, ModelsCell } from './run-io-cells.js';

export const features = tableFeatures({ columnSizingFeature, columnResizingFeature });
export type RunColumnDef = ColumnDef<typeof features, TreeRow>;

interface ColumnContext {
  expanded: ReadonlySet<string>;
  onToggle: (runId: string) => void;
  selected: ReadonlySet<string>;
  onSelect: (runId: string, selected: boolean) => void;
}

const builtIn: Record<string, { label: string; size: number }> = {
  name: { label: 'Name', size: 260 },
  status: { label: 'Status', size: 130 },
  experiment: { label: 'Experiment', size: 160 },
  user: { label: 'Submitter', size: 120 },
  compute: { label: 'Compute target', size: 130 },
  created: { label: 'Created', size: 120 },
  duration: { label: 'Duration', size: 100 },
  tags: { label: 'Tags', size: 220 },
  description: { label: 'Description', size: 260 },
  datasets: { label: 'Datasets', size: 220 },
  models: { label: 'Models', size: 220 },
};

/** A column's label and what kind of value it holds, for headers and the column picker. */
export function columnLabel(id: string): { label: string; kind: string | null } {
  const known = builtIn[id];
  if (known) return { label: known.label, kind: null };
  const [kind, ...rest] = id.split(':');
  const key = rest.join(':');
  return { label: key, kind: kind === 'param' ? 'property' : kind === 'metric' ? 'metric' : kind === 'tag' ? 'tag' : null };
}

export const builtInColumnIds = Object.keys(builtIn);

function cellFor(id: string, ctx: ColumnContext): (row: Extract<TreeRow, { kind: 'run' }>) => ReactNode {
  switch (id) {
    case 'name':
      return (row) => <NameCell run={row.run} depth={row.depth} expanded={ctx.expanded.has(row.run.runId)} onToggle={ctx.onToggle} />;
    case 'status':
      return ({ run }) => <StatusBadge status={run.status} cancelRequested={run.cancelRequested} />;
    case 'experiment':
      return ({ run }) => (
        <Link to="/experiments/$experimentId" params={{ experimentId: run.experimentId }}>
          {run.experimentName}
        </Link>
      );
    case 'user':
      return ({ run }) => <TextCell text={run.userId} />;
    case 'compute':
      return ({ run }) => <TextCell text={run.tags['runstudio.compute']} />;
    case 'created':
      return ({ run }) => <TimeAgo ms={run.startTime} />;
    case 'duration':
      return ({ run }) => <RunDuration run={run} />;
    case 'tags':
      return ({ run }) => <TagsCell tags={run.tags} />;
    case 'description':
      return ({ run }) => <TextCell text={firstLine(run.tags['mlflow.note.content'])} />;
    case 'datasets':
      return ({ run }) => <DatasetsCell datasets={run.datasets} />;
    case 'models':
      return ({ run }) => <ModelsCell runId={run.runId} models={run.models} />;
  }
  const [kind, ...rest] = id.split(':');
  const key = rest.join(':');
  if (kind === 'param') return ({ run }) => <TextCell text={run.params[key]} />;
  if (kind === 'metric') return ({ run }) => <TextCell text={metricValue(run.metrics[key]?.value)} numeric />;
  if (kind === 'tag') return ({ run }) => <TextCell text={run.tags[key]} />;
  return () => null;
}

/** Table columns for the chosen ids, in order, after the selection checkboxes. */
export function buildColumns(ids: string[], ctx: ColumnContext): RunColumnDef[] {
  const select: RunColumnDef = {
    id: 'select',
    header: 'Select',
    size: 36,
    minSize: 36,
    maxSize: 36,
    enableResizing: false,
    cell: (info) => {
      const row = info.row.original;
      if (row.kind !== 'run') return null;
      return (
        <input
          type="checkbox"
          aria-label={`Select ${row.run.runName}`}
          checked={ctx.selected.has(row.run.runId)}
          onChange={(e) => ctx.onSelect(row.run.runId, e.target.checked)}
        />
      );
    },
  };
  return [select, ...ids.map((id) => {
    const render = cellFor(id, ctx);
    return {
      id,
      header: columnLabel(id).label,
      size: builtIn[id]?.size ?? 140,
      minSize: 60,
      maxSize: 900,
      cell: (info) => {
        const row = info.row.original;
        return row.kind === 'run' ? render(row) : null;
      },
    } satisfies RunColumnDef;
  })];
}
