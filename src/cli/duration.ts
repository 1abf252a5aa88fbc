import { InvalidArgumentError } from 'commander';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration in milliseconds from `500ms`, `10s`, `2m`, `1h`, `30d` or a bare number of seconds. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 10s, 500ms, 2m, 1h or 30d');
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? 's').toLowerCase()]!);
}
