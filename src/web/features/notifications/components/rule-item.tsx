import { ChevronDown, ChevronRight, Pause, Play, Send, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import type { NotificationRule } from '../../../../shared/studio/notifications.js';
import { Confirm } from '../../../components/confirm-dialog.js';
import { ALLOWED, GatedButton, type Permission } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useNotificationMutations } from '../../../lib/queries/notification-queries.js';
import { DeliverySummary } from './delivery-state.js';
import styles from './notifications.module.css';
import { RuleDeliveries } from './rule-deliveries.js';
import { ChannelText, eventsText, ScopeText } from './rule-words.js';
import { focusPageTitle } from './page-focus.js';

/** Why a non-admin cannot test or resume a webhook rule of theirs (made while they were an admin): the server refuses it. */
export const WEBHOOK_LOCKED = 'Only admins test or resume webhooks.';

/**
 * One rule: what it watches and where it sends, how its deliveries stand, and its actions
 * (Send a test, Pause or Resume, Deliveries, Delete). Each action is described by the rule's
 * name, so a screen reader listing buttons hears which rule each belongs to. `anyAddress`: the
 * caller is an admin; anyone else may only pause or delete a webhook rule.
 */
export function RuleItem({ rule, anyAddress }: { rule: NotificationRule; anyAddress: boolean }) {
  const id = useId();
  const sends: Permission = rule.channel.kind === 'webhook' && !anyAddress ? { allowed: false, reason: WEBHOOK_LOCKED } : ALLOWED;
  const titleId = `${id}-title`;
  const { setPaused, remove, test } = useNotificationMutations();
  const [deleting, setDeleting] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const handleTest = () =>
    test.mutate(rule.id, {
      onSuccess: (delivery) => {
        if (delivery.state === 'failed') toast.error(`Test not sent: ${delivery.lastError ?? 'unknown error'}`);
        else toast.success(delivery.state === 'sent' ? 'Test sent' : 'Test queued');
      },
    });
  return (
    <article className={styles.rule} aria-labelledby={titleId}>
      <div className={styles.ruleHead}>
        <h2 id={titleId} className={styles.ruleName}>
          {rule.name}
        </h2>
        {rule.paused && <span className={styles.paused}>Paused</span>}
        {!rule.mine && <span className={styles.owner}>by {rule.owner}</span>}
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>Runs</dt>
          <dd>
            <ScopeText scope={rule.scope} owner={rule.owner} mine={rule.mine} />
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{eventsText(rule)}</dd>
        </div>
        <div>
          <dt>Sends</dt>
          <dd>
            <ChannelText channel={rule.channel} />
          </dd>
        </div>
        <div>
          <dt>Deliveries</dt>
          <dd>
            <DeliverySummary deliveries={rule.deliveries} />
          </dd>
        </div>
      </dl>
      <div className={styles.actions} role="group" aria-label={`Actions of ${rule.name}`}>
        <GatedButton permission={sends} className={ui.button} aria-describedby={titleId} disabled={test.isPending} onClick={handleTest}>
          <Send size={14} aria-hidden /> {test.isPending ? 'Sending…' : 'Send a test'}
        </GatedButton>
        <GatedButton
          permission={rule.paused ? sends : ALLOWED}
          className={ui.button}
          aria-describedby={titleId}
          disabled={setPaused.isPending}
          onClick={() => setPaused.mutate({ id: rule.id, paused: !rule.paused })}
        >
          {rule.paused ? <Play size={14} aria-hidden /> : <Pause size={14} aria-hidden />} {rule.paused ? 'Resume' : 'Pause'}
        </GatedButton>
        <button type="button" className={ui.button} aria-describedby={titleId} aria-expanded={showDeliveries} aria-controls={`${id}-deliveries`} onClick={() => setShowDeliveries((v) => !v)}>
          {showDeliveries ? <ChevronDown size={14} aria-hidden /> : <ChevronRight size={14} aria-hidden />} Deliveries
        </button>
        <button type="button" className={`${ui.button} ${styles.delete}`} aria-describedby={titleId} onClick={() => setDeleting(true)}>
          <Trash2 size={14} aria-hidden /> Delete
        </button>
      </div>
      {/* Said visibly too: a gated button's description reaches screen readers, its title only a mouse. */}
      {sends.reason && (
        <p className={styles.hint} aria-hidden="true">
          {sends.reason}
        </p>
      )}
      {showDeliveries && <RuleDeliveries ruleId={rule.id} ruleName={rule.name} id={`${id}-deliveries`} />}
      <Confirm
        open={deleting}
        title={`Delete rule “${rule.name}”?`}
        confirmLabel="Delete rule"
        cancelLabel="Keep it"
        danger
        onCancel={() => setDeleting(false)}
        onConfirm={() => {
          setDeleting(false);
          // The rule (and its Delete button) goes: focus goes to the page's heading.
          remove.mutate(rule.id, { onSuccess: focusPageTitle });
        }}
      >
        <p>No more notifications are sent for it, and its delivery history goes with it.</p>
      </Confirm>
    </article>
  );
}
