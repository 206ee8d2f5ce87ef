/**
 * The breakdown of one training step of an LSTM character model by phase (core/kernels/phases.ts),
 * printed by bench/train-step.ts: thread-milliseconds per step of each phase, summed over both
 * threads, and for the phases that are products, their rate per core against the gemm's
 * in-cache peak. "main thread, untracked" is what the main thread did outside every phase (the
 * tape, gradient zeroing, copies between tensors and the engine), "helper idle" the helper's
 * time with nothing to run — together with the phases they make up 2 × the step's wall time.
 */
import { profilePhases, takePhaseTotals } from '../core/host';

export interface StepShape {
  V: number;
  H: number;
  B: number;
  T: number;
}

export interface PhaseRow {
  phase: string;
  ms: number;
  gflop: number | null;
  gflopsPerCore: number | null;
  peakPercent: number | null;
}

/** Dense flops of the phases that are products, for an LSTM (4 gate blocks) with a Linear head. */
function productFlops({ V, H, B, T }: StepShape): Record<string, number> {
  const rows = T * B;
  return {
    'recurrent gemm': 2 * rows * H * 4 * H, // Z_t += h_{t−1}·W_hhᵀ
    'backward gemm': 2 * rows * 4 * H * H, // ∂L/∂h_{t−1} = dZ_t·W_hh
    '∂W accumulation': 2 * 4 * H * H * rows, // ∂W_hh = Σ_t dZ_tᵀ·h_{t−1} (∂W_ih: one row per one-hot input)
    'output layer': 6 * rows * H * V, // y = h·Wᵀ, ∂h = ∂y·W, ∂W = ∂yᵀ·h
  };
}

/** The order the table lists phases in: the step's own order. */
const ORDER = [
  'input projection',
  'packing',
  'recurrent gemm',
  'gate math',
  'output layer',
  'softmax-CE',
  'gate backward',
  'backward gemm',
  '∂W accumulation',
  'gradient norm',
  'optimizer',
  'thread waits',
];

/**
 * Runs `steps` profiled steps (after one unprofiled warm-up) and returns the rows, which it
 * also prints. `peak` is the gemm's in-cache GFLOP/s on one core.
 */
export function phaseBreakdown(
  name: string,
  step: () => void,
  shape: StepShape,
  peak: number,
  steps: number,
): PhaseRow[] {
  step();
  profilePhases(() => performance.now());
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const wall = (performance.now() - t0) / steps;
  const { phases, helperMs } = takePhaseTotals();
  profilePhases(null);
  const flops = productFlops(shape);
  const names = [...ORDER.filter((n) => n in phases), ...Object.keys(phases).filter((n) => !ORDER.includes(n))];
  const rows: PhaseRow[] = names.map((phase) => {
    const ms = phases[phase] / steps;
    const gflop = flops[phase] === undefined ? null : flops[phase] / 1e9;
    const rate = gflop === null ? null : gflop / (ms / 1000);
    return { phase, ms, gflop, gflopsPerCore: rate, peakPercent: rate === null ? null : (100 * rate) / peak };
  });
  const tracked = Object.values(phases).reduce((a, b) => a + b, 0) / steps;
  const mainTracked = tracked - helperMs / steps;
  rows.push({
    phase: 'main thread, untracked',
    ms: wall - mainTracked,
    gflop: null,
    gflopsPerCore: null,
    peakPercent: null,
  });
  rows.push({ phase: 'helper idle', ms: wall - helperMs / steps, gflop: null, gflopsPerCore: null, peakPercent: null });

  const { V, H, B, T } = shape;
  console.log(
    `\nphases of one ${name} training step (V ${V}, H ${H}, B ${B}, T ${T}; two threads; wall ${wall.toFixed(1)} ms per step, mean of ${steps}):`,
  );
  console.log(
    `${'phase'.padEnd(24)} ${'thread-ms'.padStart(10)} ${'share'.padStart(7)} ${'GFLOP'.padStart(7)} ${'GFLOP/s/core'.padStart(13)} ${'% peak'.padStart(7)}`,
  );
  for (const r of rows)
    console.log(
      `${r.phase.padEnd(24)} ${r.ms.toFixed(1).padStart(10)} ${((100 * r.ms) / (2 * wall)).toFixed(1).padStart(6)}% ${(r.gflop === null ? '—' : r.gflop.toFixed(2)).padStart(7)} ${(r.gflopsPerCore === null ? '—' : r.gflopsPerCore.toFixed(1)).padStart(13)} ${(r.peakPercent === null ? '—' : r.peakPercent.toFixed(0) + '%').padStart(7)}`,
    );
  console.log(
    `(thread-ms: both threads' time in the phase, per step; share: of 2 × wall; rates per core, against the kernel peak of ${peak.toFixed(1)} GFLOP/s)`,
  );
  return rows;
}
