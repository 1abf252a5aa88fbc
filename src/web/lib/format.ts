/** Display helpers shared by every screen: numbers, times and durations. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600e3],
  ['month', 30 * 24 * 3600e3],
  ['week', 7 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
  ['second', 1e3],
];

export function relativeTime(ms: number, now = Date.now()): string {
  const diff = ms - now;
  for (const [unit, size] of steps) {
    if (Math.abs(diff) >= size || unit === 'second') return relative.format(Math.round(diff / size), unit);
  }
  return '';
}

export const exactTime = (ms: number) => new Date(ms).toLocaleString();

export function duration(ms: number): string {
  if (ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const numberFormat = new Intl.NumberFormat('en', { maximumSignificantDigits: 6 });

/** A metric value as MLflow returns it: a number, or "NaN" / "Infinity" / "-Infinity". */
export function metricValue(value: number | string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-4) ? value.toExponential(4) : numberFormat.format(value);
}

export const count = (n: number) => n.toLocaleString('en');

/** The first line of a Markdown description, as plain text. */
export function firstLine(markdown: string | undefined): string {
  const line = (markdown ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^#+\s*/, '').replace(/[*_`>]/g, '').trim();
}
