import { isLive, statusWords } from '../../shared/run-status.js';
import type { StudioRun, StudioSearchRunsResponse } from '../../shared/studio/runs.js';
import { duration, relativeTime } from '../../shared/time-text.js';

/** How many rows the server paints: a screenful and more; the app renders its own on mount. */
export const FIRST_ROWS = 100;

/** The accessible name of the painted table: never "Runs", the app's own table's name. */
export const FIRST_ROWS_LABEL = 'Runs (loading)';

/** Text or an attribute value as HTML: every character that could open markup or end a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The painted rows' look: the explorer's table (run-table.module.css) and page frame at the
 * same sizes, so the swap to the app moves nothing much. The app styles itself with CSS
 * modules whose class names are hashed per build, so this markup cannot reuse them; and the
 * rows paint before the app's style sheet has arrived (sendWithFirstPage puts its link after
 * them), so the tokens of app.css that they use are repeated here, on the rows' own element,
 * in both themes. It goes inside the root element, so it leaves with the rows when the app
 * mounts. Inline styles are allowed by the CSP (`style-src 'unsafe-inline'`); inline scripts
 * are not, and none is used.
 */
export const FIRST_ROWS_STYLE = `<style>
body{margin:0}
.rs-fr{color-scheme:light dark;--surface:light-dark(#fff,#1a1d21);--surface-2:light-dark(#f0f2f5,#23272d);--fg:light-dark(#1c2024,#e4e7eb);--muted:light-dark(#5b6470,#9aa3ae);--border:light-dark(#d9dde3,#2e343b);--accent:light-dark(#3b5bdb,#748ffc);--amber:light-dark(#c98a00,#fab005);--blue:light-dark(#1c7ed6,#4dabf7);--orange:light-dark(#e8590c,#ff922b);--green:light-dark(#2f9e44,#51cf66);--red:light-dark(#e03131,#ff6b6b);--grey:light-dark(#868e96,#adb5bd);
display:grid;grid-template-rows:auto 1fr;box-sizing:border-box;height:100vh;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:light-dark(#f7f8fa,#121417);color:var(--fg)}
.rs-fr *{box-sizing:border-box}
.rs-fr-bar{display:flex;align-items:center;padding:0 1rem;height:44px;border-bottom:1px solid var(--border);background:var(--surface);font-weight:650}
.rs-fr-main{display:flex;flex-direction:column;gap:.6rem;min-height:0;overflow:auto;padding:.9rem 1rem 1rem}
.rs-fr-title{display:flex;align-items:baseline;gap:.75rem;margin:0;min-height:2.1rem}
.rs-fr-h{font-size:1.25rem;font-weight:600}
.rs-fr-muted{color:var(--muted);font-size:.875rem}
.rs-fr-scroller{overflow:auto;flex:1 0 28rem;min-height:0;margin-top:8rem;border:1px solid var(--border);border-radius:6px;background:var(--surface)}
.rs-fr table{border-collapse:separate;border-spacing:0;table-layout:fixed;width:max-content;min-width:100%}
.rs-fr th,.rs-fr thead td{position:sticky;top:0;background:var(--surface-2);text-align:left;font-weight:600;font-size:.8125rem;height:32px;padding:0 .5rem;border-bottom:1px solid var(--border);white-space:nowrap}
.rs-fr td{height:34px;padding:0 .5rem;border-bottom:1px solid var(--border);overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-size:.875rem}
.rs-fr td a{color:var(--fg);font-weight:500;text-decoration:none;padding-left:calc(22px + .25rem)}
.rs-fr td a:hover{text-decoration:underline;color:var(--accent)}
.rs-fr-status{display:inline-flex;align-items:center;gap:.35rem;font-size:.8125rem}
.rs-fr-status::before{content:'';width:.5rem;height:.5rem;border-radius:50%;background:var(--c)}
.rs-fr-tag{border:1px solid var(--border);border-radius:999px;padding:0 .45rem;margin-right:.25rem;font-size:.75rem;background:var(--surface-2)}
</style>`;

const statusColour: Record<string, string> = { SCHEDULED: 'amber', RUNNING: 'blue', CANCEL_REQUESTED: 'orange', FINISHED: 'green', FAILED: 'red', KILLED: 'grey' };

/** The explorer's default columns, at its default widths (columns.tsx), the select column first. */
const columns: Array<{ label: string; width: number; cell: (run: StudioRun, now: number) => string }> = [
  { label: '', width: 36, cell: () => '' },
  { label: 'Name', width: 260, cell: (run) => `<a href="/runs/${escapeHtml(encodeURIComponent(run.runId))}">${escapeHtml(run.runName)}</a>` },
  { label: 'Status', width: 130, cell: (run) => statusCell(run) },
  { label: 'Experiment', width: 160, cell: (run) => escapeHtml(run.experimentName) },
  { label: 'Submitter', width: 120, cell: (run) => escapeHtml(run.userId) },
  { label: 'Compute target', width: 130, cell: (run) => escapeHtml(run.tags['runstudio.compute'] ?? '') },
  { label: 'Created', width: 120, cell: (run, now) => timeCell(run.startTime, now) },
  { label: 'Duration', width: 100, cell: (run, now) => durationText(run, now) },
  { label: 'Tags', width: 220, cell: (run) => tagsCell(run.tags) },
];

function statusCell(run: StudioRun): string {
  const key = run.cancelRequested && isLive(run.status) ? 'CANCEL_REQUESTED' : run.status;
  const word = key === 'CANCEL_REQUESTED' ? 'Cancel requested' : (statusWords[run.status] ?? run.status);
  return `<span class="rs-fr-status" style="--c:var(--${statusColour[key] ?? 'grey'})">${escapeHtml(word)}</span>`;
}

/** Relative to the time the page is served, the exact time (ISO, UTC: the reader's zone is unknown here) on hover. */
function timeCell(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}" title="${iso}">${escapeHtml(relativeTime(ms, now))}</time>`;
}

function durationText(run: StudioRun, now: number): string {
  if (run.status === 'SCHEDULED') return '—';
  const end = run.endTime ?? (isLive(run.status) ? now : null);
  return end === null ? '—' : duration(end - run.startTime);
}

function tagsCell(tags: Record<string, string>): string {
  return Object.entries(tags)
    .filter(([key]) => !key.startsWith('mlflow.') && !key.startsWith('runstudio.'))
    .map(([key, value]) => `<span class="rs-fr-tag">${escapeHtml(value ? `${key}: ${value}` : key)}</span>`)
    .join('');
}

/**
 * The first rows of All runs as static HTML, for the app's root element of a plain `/runs`:
 * the browser paints them before any script runs, and React's `createRoot().render` replaces
 * them with the app on mount. Marked busy and named apart from the app's table, so neither
 * assistive technology nor a test that looks for the table "Runs" takes them for the app's.
 * Every string from the store is escaped.
 */
export function firstRowsHtml(page: StudioSearchRunsResponse, now = Date.now()): string {
  const runs = page.runs.slice(0, FIRST_ROWS);
  const count = page.total === null ? '' : `<span class="rs-fr-muted">${page.total.toLocaleString('en-US')} run${page.total === 1 ? '' : 's'}</span>`;
  const head = columns.map((c) => (c.label ? `<th scope="col">${c.label}</th>` : '<td></td>')).join('');
  const rows = runs.map((run) => `<tr data-run-id="${escapeHtml(run.runId)}">${columns.map((c) => `<td>${c.cell(run, now)}</td>`).join('')}</tr>`).join('');
  return (
    FIRST_ROWS_STYLE +
    `<div class="rs-fr" aria-busy="true">` +
    `<div class="rs-fr-bar">Runstudio</div>` +
    `<div class="rs-fr-main"><p class="rs-fr-title"><span class="rs-fr-h">All runs</span>${count}<span class="rs-fr-muted">Loading…</span></p>` +
    `<div class="rs-fr-scroller"><table aria-label="${FIRST_ROWS_LABEL}">` +
    `<colgroup>${columns.map((c) => `<col style="width:${c.width}px">`).join('')}</colgroup>` +
    `<thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div></div></div>`
  );
}
