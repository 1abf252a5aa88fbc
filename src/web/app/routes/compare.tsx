import type { CompareState } from '../../../shared/studio/compare-state.js';
import { ChartBody } from '../../features/charts/components/chart-body.js';
import { ComparePage } from '../../features/compare/components/compare-page.js';

/** `/compare`: the compare page, with the charts feature drawing its metric histories. */
export function CompareRoute({ state }: { state: CompareState }) {
  return <ComparePage state={state} metricChart={(metric, plotted) => <ChartBody panel={{ id: metric, kind: 'line', metric, xAxis: 'step' }} plotted={plotted} />} />;
}
