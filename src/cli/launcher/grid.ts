import { InvalidArgumentError } from 'commander';

export interface SweepParam {
  key: string;
  values: string[];
}

/** `--param lr=0.1,0.01`: a name and its comma-separated values. */
export function sweepParam(value: string, previous: SweepParam[] = []): SweepParam[] {
  const eq = value.indexOf('=');
  const key = value.slice(0, eq).trim();
  const values = value.slice(eq + 1).split(',').map((v) => v.trim());
  if (eq <= 0 || values.some((v) => v === '')) throw new InvalidArgumentError('expected NAME=V1,V2,… (for example lr=0.1,0.01)');
  if (previous.some((p) => p.key === key)) throw new InvalidArgumentError(`'${key}' is given twice`);
  return [...previous, { key, values }];
}

/** Every combination of the values, the first parameter varying slowest. */
export function cartesian(params: readonly SweepParam[]): Array<Record<string, string>> {
  return params.reduce<Array<Record<string, string>>>((points, { key, values }) => points.flatMap((point) => values.map((value) => ({ ...point, [key]: value }))), [{}]);
}

/** A child's display name: `lr=0.1 batch=32`. */
export function pointName(point: Record<string, string>): string {
  return Object.entries(point)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

/** The command with each `{name}` of a swept parameter replaced by its value; other braces stay. */
export function substitute(command: readonly string[], point: Record<string, string>): string[] {
  return command.map((arg) => arg.replace(/\{([^{}]+)\}/g, (whole, key: string) => (Object.hasOwn(point, key) ? point[key]! : whole)));
}
