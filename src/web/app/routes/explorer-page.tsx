import { ChartPanels } from '../../features/charts/components/chart-panels.js';
import { RunExplorer } from '../../features/runs/components/run-explorer.js';
import { ViewBar } from '../../features/views/components/view-bar.js';

/**
 * The run explorer page, all runs or one experiment's: three features side by side, composed
 * here because a feature never imports another (STYLE habit 11). The explorer owns the state;
 * the view bar and the chart panels go into its slots.
 */
export function ExplorerPage({ experimentId, title, titleHidden }: { experimentId?: string; title: string; titleHidden?: boolean }) {
  return (
    <RunExplorer
      experimentId={experimentId}
      title={title}
      titleHidden={titleHidden}
      viewBar={<ViewBar experimentId={experimentId} defaultName={experimentId ? 'All runs of this experiment' : 'All runs'} />}
      charts={(props) => <ChartPanels {...props} />}
    />
  );
}
