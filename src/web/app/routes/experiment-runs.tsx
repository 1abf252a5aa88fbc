import { useQuery } from '@tanstack/react-query';
import { experimentQueries } from '../../lib/queries/experiment-queries.js';
import { ExplorerPage } from './explorer-page.js';

export function ExperimentRunsRoute({ experimentId }: { experimentId: string }) {
  const experiments = useQuery(experimentQueries.list());
  const name = experiments.data?.find((e) => e.experimentId === experimentId)?.name;
  return <ExplorerPage key={experimentId} experimentId={experimentId} title={name ?? `Experiment ${experimentId}`} />;
}
