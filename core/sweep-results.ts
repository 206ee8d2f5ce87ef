/**
 * What sweep() returns, and hands to onRun as it grows: every run, and per variant its runs'
 * test-loss statistics, ranked by the median (robust to the one seed that never leaves the
 * plateau, which a mean is not). A cell shows it as a table (format/sweep.ts).
 */
import type { LossName } from './train';
import { sweepText } from './format/sweep';

/** One variant trained with one seed. */
export interface SweepRun {
  /** The variant's name, as given to sweep(). */
  variant: string;
  /** The seed its generators were derived from. */
  seed: number;
  /** The loss on the test set after training. */
  testLoss: number;
  /** The fraction of correct argmax predictions on the test set, for class targets. */
  testAccuracy?: number;
  /** The mean batch loss over the last tenth of the steps (at least one). */
  trainLoss: number;
  /** Optimizer steps run. */
  steps: number;
  /** The batch loss of every step, for plot.loss. */
  curve: number[];
  /** Wall time of the run in milliseconds: varies between runs, so no table shows it. */
  ms: number;
}

/** One variant's runs so far and their test-loss statistics (NaN while it has no run). */
export interface SweepVariantResult {
  /** The variant's name, as given to sweep(). */
  name: string;
  /** 1 for the lowest median test loss; null while the variant has no run. */
  rank: number | null;
  /** Its runs, in the order of the seeds given. */
  runs: SweepRun[];
  /** The median test loss of its runs (the mean of the middle two for an even count). */
  median: number;
  /** The mean test loss of its runs. */
  mean: number;
  /** The best (lowest) test loss of its runs. */
  min: number;
  /** The worst (highest) test loss of its runs. */
  max: number;
  /** The median test accuracy, for class targets. */
  medianAccuracy?: number;
  /** Runs whose test loss is below `solvedBelow`, when sweep() was given one. */
  solved?: number;
}

/**
 * What sweep() returns: every run, and the variants ranked by median test loss (best first).
 * A cell shows it as a table; plot.box(results) draws the test losses per variant.
 * @example const race = await sweep({ … }); race.best?.name; race.variants.map((v) => [v.name, v.median]);
 */
export class SweepResults {
  /** Every run, in the order they ran. */
  readonly runs: SweepRun[] = [];
  /** Per variant, best first: by median test loss, then mean, then the order given; variants without runs last. */
  variants: SweepVariantResult[];
  /** The loss the runs used (chosen from the task when not given); null before the first run. */
  loss: LossName | null = null;
  /** True when a callback ended the sweep before every run was done. */
  stopped = false;

  constructor(
    /** The variants' names, in the order given. */
    readonly names: readonly string[],
    /** The seeds every variant runs with. */
    readonly seeds: readonly number[],
    /** Optimizer steps per run. */
    readonly steps: number,
    /** The test loss below which a run counts as solved, when sweep() was given one. */
    readonly solvedBelow?: number,
  ) {
    this.variants = this.rank();
  }

  /** The variant ranked first (lowest median test loss), or null before any run. */
  get best(): SweepVariantResult | null {
    return this.variants[0]?.rank === 1 ? this.variants[0] : null;
  }

  /** How many runs the sweep does when it runs to the end. */
  get total(): number {
    return this.names.length * this.seeds.length;
  }

  /** Adds a finished run and ranks again (sweep() calls it as each run ends). */
  add(run: SweepRun, loss: LossName): void {
    this.runs.push(run);
    this.loss = loss;
    this.variants = this.rank();
  }

  /** Marks the results as stopped early (sweep() calls it when a callback asks to stop). */
  stop(): this {
    this.stopped = true;
    return this;
  }

  /** The ranked table as aligned text (what a cell shows as text/plain). */
  toString(): string {
    return sweepText(this);
  }

  private rank(): SweepVariantResult[] {
    const stats = this.names.map((name, order) => {
      const runs = this.runs.filter((r) => r.variant === name);
      const losses = runs.map((r) => r.testLoss);
      const accuracies = runs.flatMap((r) => (r.testAccuracy === undefined ? [] : [r.testAccuracy]));
      const result: SweepVariantResult = {
        name,
        rank: null,
        runs,
        median: median(losses),
        mean: losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : NaN,
        min: losses.length ? Math.min(...losses) : NaN,
        max: losses.length ? Math.max(...losses) : NaN,
        ...(accuracies.length ? { medianAccuracy: median(accuracies) } : {}),
        ...(this.solvedBelow !== undefined ? { solved: losses.filter((l) => l < this.solvedBelow!).length } : {}),
      };
      return { result, order };
    });
    // A loss that is not a number ranks below every number.
    const key = (x: number) => (Number.isNaN(x) ? Infinity : x);
    stats.sort(
      (a, b) =>
        Number(a.result.runs.length === 0) - Number(b.result.runs.length === 0) ||
        key(a.result.median) - key(b.result.median) ||
        key(a.result.mean) - key(b.result.mean) ||
        a.order - b.order,
    );
    stats.forEach(({ result }, k) => {
      if (result.runs.length > 0) result.rank = k + 1;
    });
    return stats.map((s) => s.result);
  }
}

/** The middle value, or the mean of the two middle values; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
