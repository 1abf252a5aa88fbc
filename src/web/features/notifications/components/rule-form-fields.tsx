import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { statusWords } from '../../../../shared/run-status.js';
import { MAX_STALLED_MINUTES, notifyStatuses } from '../../../../shared/studio/notifications.js';
import { usePermissionProps, type Permission } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { experimentQueries } from '../../../lib/queries/experiment-queries.js';
import { OWN_EMAIL_NOTE } from '../../../lib/queries/notification-queries.js';
import type { ChannelKind, RuleForm, ScopeKind } from '../hooks/use-rule-form.js';
import styles from './notifications.module.css';

type FieldsProps = { form: RuleForm; set: <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => void };

const scopeChoices: Array<[ScopeKind, string]> = [
  ['all', 'All runs'],
  ['experiment', 'One experiment'],
  ['filter', 'Runs matching a filter'],
  ['mine', 'Runs I submitted'],
  ['run', 'One run'],
];

/** The experiments to pick from; `none`: the label of the empty choice (an optional pick). */
function ExperimentSelect({ label, value, onChange, none }: { label: string; value: string; onChange: (id: string) => void; none: string }) {
  const experiments = useQuery({ ...experimentQueries.list(), select: (list) => list.filter((e) => e.lifecycleStage === 'active') });
  return (
    <label className={ui.field}>
      {label}
      <select className={ui.input} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{experiments.isPending ? 'Loading…' : none}</option>
        {experiments.data?.map((e) => (
          <option key={e.experimentId} value={e.experimentId}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Which runs: a radio per kind, and the one field that kind needs below it. */
export function ScopeFields({ form, set }: FieldsProps) {
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>Which runs</legend>
      {scopeChoices.map(([kind, label]) => (
        <label key={kind} className={styles.choice}>
          <input type="radio" name="scope" value={kind} checked={form.scope === kind} onChange={() => set('scope', kind)} /> {label}
        </label>
      ))}
      {form.scope === 'experiment' && <ExperimentSelect label="Experiment" none="Choose an experiment" value={form.experimentId} onChange={(id) => set('experimentId', id)} />}
      {form.scope === 'filter' && (
        <>
          <label className={ui.field}>
            Filter (MLflow search syntax)
            <input className={`${ui.input} ${styles.mono}`} value={form.filter} onChange={(e) => set('filter', e.target.value)} placeholder="metrics.loss > 1 and tags.team = 'nlp'" />
          </label>
          <ExperimentSelect label="In experiment (optional)" none="Any experiment" value={form.experimentId} onChange={(id) => set('experimentId', id)} />
        </>
      )}
      {form.scope === 'run' && (
        <label className={ui.field}>
          Run id
          <input className={`${ui.input} ${styles.mono}`} value={form.runId} onChange={(e) => set('runId', e.target.value)} placeholder="32 hex digits" />
        </label>
      )}
    </fieldset>
  );
}

/** Which events: a checkbox per status (in the studio's words), and Stalled with its minutes. */
export function EventFields({ form, set, toggleEvent }: FieldsProps & { toggleEvent: (event: RuleForm['events'][number], on: boolean) => void }) {
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>When a run</legend>
      <div className={styles.checks}>
        {notifyStatuses.map((status) => (
          <label key={status} className={styles.choice}>
            <input type="checkbox" checked={form.events.includes(status)} onChange={(e) => toggleEvent(status, e.target.checked)} /> {statusWords[status]}
          </label>
        ))}
      </div>
      <div className={styles.stalled}>
        <label className={styles.choice}>
          <input type="checkbox" checked={form.stalled} onChange={(e) => set('stalled', e.target.checked)} /> Stalled
        </label>
        <label className={styles.inline}>
          after
          <input
            className={`${ui.input} ${styles.minutes}`}
            type="number"
            min={1}
            max={MAX_STALLED_MINUTES}
            step={1}
            aria-label="Minutes without activity"
            disabled={!form.stalled}
            value={form.stalledMinutes}
            onChange={(e) => set('stalledMinutes', e.target.value)}
          />
          minutes
        </label>
      </div>
      <p className={styles.hint}>Stalled: a Running run that logs no metric or log line and sends no heartbeat for that long.</p>
    </fieldset>
  );
}

/** A channel's radio: when not allowed it stays focusable and says why (permission-note). */
function ChannelChoice({ kind, label, form, set, permission }: FieldsProps & { kind: ChannelKind; label: string; permission: Permission }) {
  const gate = usePermissionProps(permission);
  return (
    <>
      <label className={`${styles.choice} ${permission.allowed ? '' : styles.gatedChoice}`}>
        <input type="radio" name="channel" value={kind} checked={form.channel === kind} onChange={() => permission.allowed && set('channel', kind)} {...gate.props} /> {label}
      </label>
      {gate.note}
    </>
  );
}

/**
 * Where to send: E-mail or Webhook (each maybe not allowed, saying why), and its address;
 * `fixedTo`: the e-mail address is the caller's account's, shown read-only.
 */
export function ChannelFields({ form, set, email, webhook, fixedTo }: FieldsProps & { email: Permission; webhook: Permission; fixedTo: boolean }) {
  const noteId = useId();
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>Send to</legend>
      <div className={styles.checks}>
        <ChannelChoice kind="email" label="E-mail" form={form} set={set} permission={email} />
        <ChannelChoice kind="webhook" label="Webhook" form={form} set={set} permission={webhook} />
      </div>
      {/* Said visibly too: the radio's description reaches screen readers, its title only a mouse. */}
      {[email, webhook].map((p) => p.reason && <p key={p.reason} className={styles.hint} aria-hidden="true">{p.reason}</p>)}
      {form.channel === 'email' && email.allowed && fixedTo && (
        <>
          <label className={ui.field}>
            E-mail address
            <input className={`${ui.input} ${styles.fixedAddress}`} type="email" value={form.to} readOnly aria-describedby={noteId} />
          </label>
          <p id={noteId} className={styles.hint}>
            {OWN_EMAIL_NOTE}
          </p>
        </>
      )}
      {form.channel === 'email' && email.allowed && !fixedTo && (
        <label className={ui.field}>
          E-mail address
          <input className={ui.input} type="email" value={form.to} onChange={(e) => set('to', e.target.value)} autoComplete="email" />
        </label>
      )}
      {form.channel === 'webhook' && webhook.allowed && (
        <>
          <label className={ui.field}>
            Webhook URL
            <input className={ui.input} type="url" value={form.url} onChange={(e) => set('url', e.target.value)} placeholder="https://hooks.example.com/runstudio" />
          </label>
          <label className={ui.field}>
            Format
            <select className={ui.input} value={form.format} onChange={(e) => set('format', e.target.value as RuleForm['format'])}>
              <option value="json">JSON (signed, Standard Webhooks)</option>
              <option value="slack">Slack (incoming webhook)</option>
            </select>
          </label>
        </>
      )}
    </fieldset>
  );
}
