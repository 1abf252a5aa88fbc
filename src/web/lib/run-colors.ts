import type { StudioRun } from '../../shared/studio/runs.js';

/**
 * Run colours: a run's colour is its position in the plotting order (the selection, or
 * the table's rows), which every panel shares, so a run keeps one colour in all panels.
 * Shared by the chart panels and the compare page, whose table swatches match its charts.
 */
const palette = ['#3b5bdb', '#e8590c', '#2f9e44', '#c2255c', '#1098ad', '#7048e8', '#f08c00', '#5c940d', '#d6336c', '#1c7ed6', '#ae3ec9', '#0ca678', '#fa5252', '#4263eb', '#74b816', '#f76707', '#15aabf', '#862e9c', '#e67700', '#364fc7'];

export function colorFor(index: number): string {
  return palette[index % palette.length]!;
}

/** A run drawn on a chart, with its colour. */
export interface PlottedRun {
  run: StudioRun;
  color: string;
}
