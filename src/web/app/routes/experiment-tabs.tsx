import { useNavigate } from '@tanstack/react-router';
import { ExperimentModels } from '../../features/models/components/experiment-models.js';
import type { ModelListState } from '../../features/models/model-list-state.js';
import { useQuery } from '@tanstack/react-query';
import { experimentQueries } from '../../lib/queries/experiment-queries.js';
import { reportError } from '../../lib/report-error.js';
import { ExplorerPage } from './explorer-page.js';

/** The Runs tab: the run explorer scoped to the experiment (the page's heading names it). */
export function ExperimentRunsTab({ experimentId }: { experimentId: string }) {
  const experiments = useQuery(experimentQueries.list());
  const name = experiments.data?.find((e) => e.experimentId === experimentId)?.name ?? `experiment ${experimentId}`;
  return <ExplorerPage key={experimentId} experimentId={experimentId} title={`Runs of ${name}`} titleHidden />;
}

/** The Models tab: the experiment's logged models, their order in the URL. */
export function ExperimentModelsTab({ experimentId, state }: { experimentId: string; state: ModelListState }) {
  const navigate = useNavigate();
  const onStateChange = (search: ModelListState) => {
    navigate({ to: '/experiments/$experimentId/models', params: { experimentId }, search, replace: true }).catch(reportError);
  };
  return <ExperimentModels key={experimentId} experimentId={experimentId} state={state} onStateChange={onStateChange} />;
}
