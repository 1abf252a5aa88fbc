import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Tabs } from 'radix-ui';
import type { ReactNode } from 'react';
import { experimentQueries } from '../../lib/queries/experiment-queries.js';
import { reportError } from '../../lib/report-error.js';
import styles from './experiment-page.module.css';

export type ExperimentTab = 'runs' | 'models';

interface ExperimentRouteProps {
  experimentId: string;
  tab: ExperimentTab;
  /** The open tab's page (the router's outlet). */
  children: ReactNode;
}

/**
 * The experiment page's frame: its name and two tabs, each its own URL, `/experiments/:id`
 * (Runs) and `/experiments/:id/models`. A layout route, so switching tabs keeps the heading
 * and the tab list mounted (and keyboard focus on the tab).
 */
export function ExperimentRoute({ experimentId, tab, children }: ExperimentRouteProps) {
  const experiments = useQuery(experimentQueries.list());
  const name = experiments.data?.find((e) => e.experimentId === experimentId)?.name ?? `Experiment ${experimentId}`;
  const navigate = useNavigate();
  const params = { experimentId };
  const openTab = (value: string) => {
    const to = value === 'models' ? '/experiments/$experimentId/models' : '/experiments/$experimentId';
    navigate({ to, params }).catch(reportError);
  };
  return (
    <Tabs.Root value={tab} onValueChange={openTab} asChild>
      <section className={styles.page} aria-labelledby="experiment-title">
        <header className={styles.header}>
          <h1 id="experiment-title">{name}</h1>
          <Tabs.List className={styles.tabList} aria-label="Experiment sections">
            <Tabs.Trigger value="runs" className={styles.tab}>
              Runs
            </Tabs.Trigger>
            <Tabs.Trigger value="models" className={styles.tab}>
              Models
            </Tabs.Trigger>
          </Tabs.List>
        </header>
        <Tabs.Content value={tab} className={tab === 'models' ? styles.modelsPanel : styles.runsPanel}>
          {children}
        </Tabs.Content>
      </section>
    </Tabs.Root>
  );
}
