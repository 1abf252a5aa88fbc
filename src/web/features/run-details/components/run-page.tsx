import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Tabs } from 'radix-ui';
import type { Run } from '../../../../shared/mlflow/types.js';
import type { RunPageState, RunTab } from '../../../../shared/studio/run-page-state.js';
import { isLive } from '../../../../shared/run-status.js';
import { LiveStream } from '../../../lib/live/use-run-events.js';
import { LIVE_REFRESH_MS, runQueries } from '../../../lib/queries/run-queries.js';
import { useRunPageLive } from '../hooks/use-run-page-live.js';
import { ChildrenTab } from './children-tab.js';
import { useRunModels } from '../api/run-models.js';
import { MetricsTab } from './metrics-tab.js';
import { ModelsTab } from './models-tab.js';
import { OutputsTab } from './outputs-tab.js';
import { OverviewTab } from './overview-tab.js';
import { RunHeader } from './run-header.js';
import styles from './run-details.module.css';
import { reportError } from '../../../lib/report-error.js';

const tabLabels: Record<RunTab, string> = { overview: 'Overview', metrics: 'Metrics', children: 'Child runs', models: 'Models', outputs: 'Outputs + logs' };

/** `/runs/:runId`: the header with its toolbar, and the five tabs, kept current by the run-event stream (polled while it is down). */
export function RunPage({ runId, state }: { runId: string; state: RunPageState }) {
  const up = useRunPageLive(runId);
  const { data: run, error, isPending } = useQuery({
    ...runQueries.detail(runId),
    refetchInterval: (query) => (!up && isLive(query.state.data?.info.status ?? '') ? LIVE_REFRESH_MS : false),
  });
  const navigate = useNavigate();
  const tab: RunTab = state.tab ?? 'overview';
  const setSearch = (patch: Partial<RunPageState>) => {
    navigate({ to: '/runs/$runId', params: { runId }, search: (prev: Record<string, unknown>) => ({ ...prev, ...patch }), replace: patch.file !== undefined }).catch(reportError);
  };
  const onTab = (value: string) => setSearch({ tab: value as RunTab, file: undefined });
  if (isPending) return <p className={styles.panel} role="status">Loading run…</p>;
  if (error) return <p className={styles.panel} role="alert">Could not load this run: {error.message}</p>;
  return (
    <LiveStream value={up}>
      <RunTabs run={run} runId={runId} tab={tab} state={state} onTab={onTab} onFile={(file) => setSearch({ file })} />
    </LiveStream>
  );
}

interface RunTabsProps {
  run: Run;
  runId: string;
  tab: RunTab;
  state: RunPageState;
  onTab: (tab: string) => void;
  onFile: (file: string) => void;
}

function RunTabs({ run, runId, tab, state, onTab, onFile }: RunTabsProps) {
  // Models are read when their tab opens, or at once when the run has outputs (for the count).
  const models = useRunModels(run, tab === 'models' || (run.outputs?.model_outputs?.length ?? 0) > 0);
  return (
    <Tabs.Root value={tab} onValueChange={onTab} className={styles.page} asChild>
      <article aria-labelledby="run-title">
        <header className={styles.header}>
          <RunHeader run={run} />
          <Tabs.List className={styles.tabList} aria-label="Run sections">
            {(Object.keys(tabLabels) as RunTab[]).map((t) => (
              <Tabs.Trigger key={t} value={t} className={styles.tab}>
                {tabLabels[t]}
                {t === 'models' && models.count !== undefined && <span className={styles.tabCount}>{models.count}</span>}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
        </header>
        <Tabs.Content value="overview" className={styles.panel}>
          <OverviewTab run={run} />
        </Tabs.Content>
        <Tabs.Content value="metrics" className={styles.panel}>
          <MetricsTab run={run} />
        </Tabs.Content>
        <Tabs.Content value="children" className={styles.panel}>
          <ChildrenTab runId={runId} />
        </Tabs.Content>
        <Tabs.Content value="models" className={styles.panel}>
          <ModelsTab result={models} />
        </Tabs.Content>
        <Tabs.Content value="outputs" className={styles.panel}>
          <OutputsTab run={run} file={state.file} onSelect={onFile} />
        </Tabs.Content>
      </article>
    </Tabs.Root>
  );
}
