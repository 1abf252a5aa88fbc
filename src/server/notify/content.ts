import Anser from 'anser';
import { statusWords, isRunStatus } from '../../shared/run-status.js';
import { duration } from '../../shared/time-text.js';
import { notificationType, type WebhookPayload } from '../../shared/studio/notifications.js';
import type { LogBlobs } from '../blobs/blob-stores.js';
import type { Db } from '../store/db.js';
import type { OutboxEvent } from '../store/notification-deliveries.store.js';
import type { StoredRule } from '../store/notification-rules.store.js';
import { runFacts } from '../store/run-facts.store.js';

/** How many of a failed (or stalled) run's last log lines a notification carries, and how long each may be. */
export const LOG_TAIL_LINES = 20;
const LOG_LINE_CHARS = 300;

const word = (status: string | null) => (status !== null && isRunStatus(status) ? statusWords[status] : status);

/** The log a run's output is in: the launcher's `std_log.txt` when there, else the largest. */
async function lastLogLines(logs: LogBlobs, runId: string): Promise<string[] | null> {
  const all = await logs.list(runId);
  if (all.length === 0) return null;
  const log = all.find((l) => l.name === 'std_log.txt') ?? [...all].sort((a, b) => b.size - a.size)[0]!;
  const { totalLines } = await logs.lines(runId, log.name, 0, 0);
  const { lines } = await logs.lines(runId, log.name, Math.max(0, totalLines - LOG_TAIL_LINES), LOG_TAIL_LINES);
  // Colours and control characters mean nothing in a mail or a JSON field: plain text only.
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  return lines.map((line) => Anser.ansiToText(line).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').slice(0, LOG_LINE_CHARS));
}

/**
 * What a notification says about its event, gathered when it is sent: the webhook's JSON,
 * and what the e-mail and the Slack text are written from. A run removed since is named by id.
 */
export async function describeEvent(ctx: { db: Db; logs: LogBlobs; publicUrl: string; now: number }, deliveryId: string, event: OutboxEvent, rule: StoredRule): Promise<WebhookPayload> {
  const type = notificationType(event.kind, event.toStatus);
  const base = { id: deliveryId, eventId: event.id, type, occurredAt: new Date(event.at).toISOString(), rule: { id: rule.id, name: rule.name } };
  if (event.runId === null) return { ...base, run: null, stalled: null, logTail: null };
  const facts = await runFacts(ctx.db.kysely, event.runId);
  const status = event.kind === 'status' ? (event.toStatus ?? facts?.status ?? '') : (facts?.status ?? event.toStatus ?? '');
  const run: WebhookPayload['run'] = {
    id: event.runId,
    name: facts?.runName ?? `(removed run ${event.runId})`,
    experimentId: facts?.experimentId ?? '',
    experimentName: facts?.experimentName ?? '',
    status,
    statusLabel: word(status) ?? status,
    previousStatus: event.kind === 'status' ? event.fromStatus : null,
    startTime: facts?.startTime ?? 0,
    endTime: facts?.endTime ?? null,
    durationMs: facts ? Math.max(0, (facts.endTime ?? ctx.now) - facts.startTime) : null,
    submitter: facts?.submitter ?? '',
    url: `${ctx.publicUrl.replace(/\/+$/, '')}/runs/${event.runId}`,
  };
  const stalled = event.kind === 'stalled' ? (event.data as { minutes: number; lastActivityAt: number }) : null;
  const wantsLog = status === 'FAILED' || event.kind === 'stalled';
  const logTail = facts && wantsLog ? await lastLogLines(ctx.logs, event.runId).catch(() => null) : null;
  return { ...base, run, stalled, logTail };
}

/** One line, at most `max` characters: a name goes into a subject or a chat line. */
const oneLine = (text: string, max = 120) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

/** The headline: `Failed: resnet-50 (vision)`, `Stalled: …`, `Test notification`. */
export function headline(p: WebhookPayload): string {
  if (!p.run) return `Test notification for rule "${oneLine(p.rule.name, 80)}"`;
  const what = p.type === 'run.stalled' ? `Stalled ${p.stalled?.minutes ?? '?'} min` : p.run.statusLabel;
  const experiment = p.run.experimentName ? ` (${oneLine(p.run.experimentName, 60)})` : '';
  return `${what}: ${oneLine(p.run.name)}${experiment}`;
}

/** The e-mail: plain text only, so nothing a run's name or log holds can become markup. */
export function emailOf(p: WebhookPayload, publicUrl: string): { subject: string; text: string } {
  const subject = `[Runstudio] ${headline(p)}`;
  const lines: string[] = [];
  if (!p.run) {
    lines.push(`This is a test of the notification rule "${p.rule.name}". Its channel works.`, '');
  } else {
    const r = p.run;
    const change = r.previousStatus ? `${word(r.previousStatus) ?? r.previousStatus} → ${r.statusLabel}` : r.statusLabel;
    lines.push(
      `Run:         ${r.name} (${r.id})`,
      `Experiment:  ${r.experimentName || '—'}${r.experimentId ? ` (${r.experimentId})` : ''}`,
      `Status:      ${p.type === 'run.stalled' ? `${r.statusLabel}, but silent for ${p.stalled?.minutes} min: no metric, log line or heartbeat since ${new Date(p.stalled?.lastActivityAt ?? 0).toISOString()}` : change}`,
      `Duration:    ${r.durationMs === null ? '—' : duration(r.durationMs)}`,
      `Submitter:   ${r.submitter || '—'}`,
      `Started:     ${r.startTime ? new Date(r.startTime).toISOString() : '—'}`,
    );
    if (r.endTime !== null) lines.push(`Ended:       ${new Date(r.endTime).toISOString()}`);
    if (p.logTail && p.logTail.length > 0) lines.push('', `Last ${p.logTail.length} log lines:`, ...p.logTail.map((l) => `  ${l}`));
    lines.push('', `Open the run: ${r.url}`);
  }
  lines.push('', `-- `, `Sent because of the rule "${p.rule.name}". Event id ${p.eventId}.`, `Pause or delete it: ${publicUrl.replace(/\/+$/, '')}/notifications`);
  return { subject: oneLine(subject, 200), text: lines.join('\n') };
}

/** Slack's incoming-webhook body: one `text`, links in Slack's `<url|label>` form. */
export function slackOf(p: WebhookPayload): { text: string } {
  // Slack reads &, < and > as markup: escape them in anything a user wrote.
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (!p.run) return { text: `Runstudio: ${esc(headline(p))}` };
  const parts = [`*${esc(headline(p))}*`, `<${p.run.url}|Open the run> · submitter ${esc(p.run.submitter || '—')}${p.run.durationMs === null ? '' : ` · ${duration(p.run.durationMs)}`}`];
  if (p.logTail && p.logTail.length > 0) parts.push('```' + esc(p.logTail.slice(-5).join('\n')).replace(/```/g, "'''") + '```');
  return { text: parts.join('\n') };
}
