import { RunExplorer } from '../../features/runs/components/run-explorer.js';

export function AllRunsRoute() {
  return <RunExplorer title="All runs" />;
}
