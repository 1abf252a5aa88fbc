/** Display helpers shared by every screen: numbers, times and durations. */

export { duration, relativeTime } from '../../shared/time-text.js';

export const exactTime = (ms: number) => new Date(ms).toLocaleString();

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
