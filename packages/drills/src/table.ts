import type { DrillVerdict } from './checker.js';

export interface DrillRow {
  readonly drill: string;
  readonly faults: string;
  readonly verdict: DrillVerdict;
  /** Submissions refused with a 4xx (a rule of the register, e.g. a move-in date before the current residence began). */
  readonly refused: number;
}

/** Seconds with one decimal, '-' when there was nothing to measure. */
export const seconds = (value: number | undefined) => (value === undefined ? '-' : `${(value / 1000).toFixed(1)} s`);

/** The drill table as fixed-width text (what `npm run drills` prints). */
export function formatTable(rows: readonly DrillRow[]): string {
  const header = [
    'drill',
    'faults injected',
    'bundles',
    'refused at submit',
    'completed',
    'lost',
    'duplicated effects',
    'dead letters',
    'p99 during fault',
    'p99 all',
  ];
  const lines = rows.map((r) => [
    r.drill,
    r.faults,
    String(r.verdict.bundles),
    String(r.refused),
    String(r.verdict.completed),
    String(r.verdict.lost),
    String(r.verdict.duplicatedEffects),
    String(r.verdict.deadLetters),
    seconds(r.verdict.p99DuringFaultMs),
    seconds(r.verdict.p99AllMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

/** A drill passes when nothing is lost, nothing duplicated and no dead letter is left unexplained. */
export function passed(verdict: DrillVerdict): boolean {
  return verdict.lost === 0 && verdict.duplicatedEffects === 0 && verdict.deadLetters === 0 && verdict.bundles > 0;
}
