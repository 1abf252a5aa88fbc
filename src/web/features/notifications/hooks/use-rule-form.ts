import { useState } from 'react';
import type { endpoints, EndpointBody } from '../../../../shared/api/index.js';
import { notifyStatuses, type NotifyStatus, type RuleChannel, type RuleScope } from '../../../../shared/studio/notifications.js';

export type CreateRuleBody = EndpointBody<typeof endpoints.notifications.create>;
export type ScopeKind = RuleScope['kind'];
export type ChannelKind = RuleChannel['kind'];

/**
 * The Add rule form as typed, every field a string or a choice: local state of one open
 * dialog, gone when it closes (nothing here is worth a URL or a preference). The server
 * checks the rule; its message names the field it refuses.
 */
export interface RuleForm {
  name: string;
  scope: ScopeKind;
  /** The experiment of an `experiment` scope, or the optional one of a `filter` scope ('' for any). */
  experimentId: string;
  filter: string;
  runId: string;
  events: NotifyStatus[];
  stalled: boolean;
  stalledMinutes: string;
  channel: ChannelKind;
  to: string;
  url: string;
  format: 'json' | 'slack';
}

/** A new form: every run, told when one completes, fails or is canceled, on `channel`. */
export const defaultRuleForm = (channel: ChannelKind, to = ''): RuleForm => ({
  name: '',
  scope: 'all',
  experimentId: '',
  filter: '',
  runId: '',
  events: ['FINISHED', 'FAILED', 'KILLED'],
  stalled: false,
  stalledMinutes: '30',
  channel,
  to,
  url: '',
  format: 'json',
});

function scopeOf(form: RuleForm): RuleScope {
  switch (form.scope) {
    case 'experiment':
      return { kind: 'experiment', experimentId: form.experimentId };
    case 'filter':
      return { kind: 'filter', filter: form.filter, experimentId: form.experimentId === '' ? null : form.experimentId };
    case 'run':
      return { kind: 'run', runId: form.runId.trim() };
    default:
      return { kind: form.scope };
  }
}

/** The request body the form stands for. */
export function ruleBody(form: RuleForm): CreateRuleBody {
  return {
    name: form.name.trim(),
    scope: scopeOf(form),
    events: form.events,
    stalledMinutes: form.stalled ? Number(form.stalledMinutes) : null,
    channel: form.channel === 'email' ? { kind: 'email', to: form.to.trim() } : { kind: 'webhook', url: form.url.trim(), format: form.format },
  };
}

/** The form's state, a setter for any of its fields, and a toggle for one event. */
export function useRuleForm(initial: () => RuleForm) {
  const [form, setForm] = useState(initial);
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggleEvent = (event: NotifyStatus, on: boolean) => setForm((f) => ({ ...f, events: notifyStatuses.filter((s) => (s === event ? on : f.events.includes(s))) }));
  return { form, set, toggleEvent };
}
