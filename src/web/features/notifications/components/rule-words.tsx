import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { statusWords } from '../../../../shared/run-status.js';
import type { NotificationRule, RuleChannel, RuleScope } from '../../../../shared/studio/notifications.js';
import { experimentQueries } from '../../../lib/queries/experiment-queries.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import styles from './notifications.module.css';

/** An experiment by name (its id until the list arrives, or when it is gone), as a link. */
function ExperimentName({ experimentId }: { experimentId: string }) {
  const name = useQuery({ ...experimentQueries.list(), select: (list) => list.find((e) => e.experimentId === experimentId)?.name });
  return (
    <Link to="/experiments/$experimentId" params={{ experimentId }}>
      {name.data ?? experimentId}
    </Link>
  );
}

/** A run by name (its id until the run is read, or when it is gone), as a link. */
function RunName({ runId }: { runId: string }) {
  const name = useQuery({ ...runQueries.detail(runId), select: (run) => run.info.run_name, refetchInterval: false });
  return (
    <Link to="/runs/$runId" params={{ runId }}>
      {name.data ?? runId}
    </Link>
  );
}

/** Which runs a rule watches, in words: "All runs", "Experiment mnist", "Runs matching `…`". */
export function ScopeText({ scope, owner, mine }: { scope: RuleScope; owner: string; mine: boolean }) {
  switch (scope.kind) {
    case 'all':
      return <>All runs</>;
    case 'experiment':
      return (
        <>
          Experiment <ExperimentName experimentId={scope.experimentId} />
        </>
      );
    case 'filter':
      return (
        <>
          Runs matching <code className={styles.code}>{scope.filter}</code>
          {scope.experimentId !== null && (
            <>
              {' '}
              in experiment <ExperimentName experimentId={scope.experimentId} />
            </>
          )}
        </>
      );
    case 'mine':
      return <>{mine ? 'Runs I submitted' : `Runs ${owner} submitted`}</>;
    case 'run':
      return (
        <>
          Run <RunName runId={scope.runId} />
        </>
      );
  }
}

/** The events a rule tells about, in the studio's words: "Completed, Failed, Stalled after 30 min". */
export function eventsText(rule: Pick<NotificationRule, 'events' | 'stalledMinutes'>): string {
  const words = rule.events.map((e) => statusWords[e]);
  if (rule.stalledMinutes !== null) words.push(`Stalled after ${rule.stalledMinutes} min`);
  return words.join(', ');
}

/** Where a rule sends: an e-mail address, or a webhook's URL (and "Slack" for a Slack body). */
export function ChannelText({ channel }: { channel: RuleChannel }) {
  if (channel.kind === 'email') return <>E-mail to {channel.to}</>;
  return (
    <>
      Webhook <span className={styles.url}>{channel.url}</span>
      {channel.format === 'slack' && <span className={styles.tag}>Slack</span>}
    </>
  );
}
