import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Tabs } from 'radix-ui';
import type { RunPageState, RunTab } from '../../../../shared/studio/run-page-state.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { ChildrenTab } from './children-tab.js';
import { MetricsTab } from './metrics-tab.js';
import { OutputsTab } from './outputs-tab.js';
import { OverviewTab } from './overview-tab.js';
import { RunHeader } from './run-header.js';
import styles from './run-details.module.css';
import { reportError } from '../../../lib/report-error.js';

const tabLabels: Record<RunTab, string> = { overview: 'Overview', metrics: 'Metrics', children: 'Child runs', outputs: 'Outputs + logs' };

/** `/runs/:runId`: the header with its toolbar, and the four tabs. */
export function RunPage({ runId, state }: { runId: string; state: RunPageState }) {
  const { data: run, error, isPending } = useQuery(runQueries.detail(runId));
  const navigate = useNavigate();
  const tab = state.tab ?? 'overview';
  const setSearch = (patch: Partial<RunPageState>) => {
    navigate({ to: '/runs/$runId', params: { runId }, search: (prev: Record<string, unknown>) => ({ ...prev, ...patch }), replace: patch.file !== undefined }).catch(reportError);
  };
  if (isPending) return <p className={styles.panel} role="status">Loading run…</p>;
  if (error) return <p className={styles.panel} role="alert">Could not load this run: {error.message}</p>;
  return (
    <Tabs.Root value={tab} onValueChange={(value) => setSearch({ tab: value as RunTab, file: undefined })} className={styles.page} asChild>
      <article aria-labelledby="run-title">
        <header className={styles.header}>
          <RunHeader run={run} />
          <Tabs.List className={styles.tabList} aria-label="Run sections">
            {(Object.keys(tabLabels) as RunTab[]).map((t) => (
              <Tabs.Trigger key={t} value={t} className={styles.tab}>
                {tabLabels[t]}
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
        <Tabs.Content value="outputs" className={styles.panel}>
          <OutputsTab run={run} file={state.file} onSelect={(file) => setSearch({ file })} />
        </Tabs.Content>
      </article>
    </Tabs.Root>
  );
}
