/**
 * LSTM with forget gate (Hochreiter & Schmidhuber 1997; Gers, Schmidhuber & Cummins 2000),
 * over a whole sequence, forward and backward: the standard cell and peepholes, as the
 * WebAssembly kernels compute them too (lstm-cell-wasm.ts). Greff et al.'s variants, which
 * switch parts of this cell off, are in lstm-variants.ts. Gate blocks are stacked i, f, g, o
 * (PyTorch).
 *
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi [+ p_i ⊙ c_{t−1}])     input gate
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf [+ p_f ⊙ c_{t−1}])     forget gate
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)                    candidate
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                                      cell state
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho [+ p_o ⊙ c_t])         output gate
 *   h_t = o_t ⊙ tanh(c_t)
 *
 * Bracketed terms are the peepholes (Gers & Schmidhuber 2000): i and f look at c_{t−1},
 * o at c_t.
 *
 * Interventions (intervention.ts) hold units of i, f, g, o, c_t or h_t at fixed values right
 * where they are computed; the backward treats them as constants (their dz, dc or dh is 0).
 *
 * Backward, per step (dh = ∂L/∂h_t from the output plus from step t+1; dc likewise):
 *   do = dh ⊙ tanh(c_t)             dc += dh ⊙ o_t ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o
 *   di = dc ⊙ g_t   dg = dc ⊙ i_t   df = dc ⊙ c_{t−1}
 *   dz_a = da ⊙ a(1 − a) for a ∈ {i, f, o};   dz_g = dg ⊙ (1 − g²)
 *   ∂L/∂c_{t−1} = dc ⊙ f_t + dz_i ⊙ p_i + dz_f ⊙ p_f      ∂L/∂h_{t−1} = dZ_t · W_hh
 *
 * Both JS loops (this cell and the variants) share the time loops here: lstmSteps and
 * lstmStepsBack run the steps and the products with W_hh; a cell gives the element-wise part
 * of one step.
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { gemmABt, transpose } from '../kernels/gemm';
import { hiddenSideGrads, inputSideGrads, projectInputs } from './projection';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun, UnitOverride } from './run';
import { isPinned, pinned, timeAt } from './run';
import { sigmoid } from './sigmoid';
import { pollInterrupt, STEPS_PER_POLL } from '../interrupt';

export interface LstmFlags {
  peephole: boolean;
  inputGate: boolean;
  forgetGate: boolean;
  outputGate: boolean;
  coupled: boolean;
  inputActivation: boolean;
  outputActivation: boolean;
  fullGateRecurrence: boolean;
}

/** The gates with peepholes and gate recurrence, in the order of their [3H] blocks (p, R). */
export const PEEPHOLE_GATES = ['i', 'f', 'o'] as const;

/**
 * The gates a variant removes: NIG i (i_t = 1), NFG f (f_t = 1), CIFG f (f_t = 1 − i_t, no
 * weights of its own), NOG o (o_t = 1). Their rows stay in the weights, at zero, with zero
 * gradient; traces leave them out.
 */
export function removedGates(flags: LstmFlags): Array<'i' | 'f' | 'o'> {
  const removed: Array<'i' | 'f' | 'o'> = [];
  if (!flags.inputGate) removed.push('i');
  if (!flags.forgetGate || flags.coupled) removed.push('f');
  if (!flags.outputGate) removed.push('o');
  return removed;
}

/** Whether the flags describe this file's cell (standard, or with peepholes); anything else is a Greff variant (lstm-variants.ts). */
export function standardOrPeephole(flags: LstmFlags): boolean {
  return (
    removedGates(flags).length === 0 && flags.inputActivation && flags.outputActivation && !flags.fullGateRecurrence
  );
}

/** The units interventions hold fixed in this run, per quantity i, f, g, o, c, h (null: none). */
export function fixedUnits(run: SequenceRun): Array<UnitOverride | null> {
  return ['i', 'f', 'g', 'o', 'c', 'h'].map((q) => run.fixed?.[q] ?? null);
}

/**
 * The element-wise part of one forward step s (time t): over the B rows of time t, reads
 * Z_t = W_ih x_t + b + W_hh h_{t−1} from run.gates and c_{t−1} from run.cPrev; writes the
 * activations over Z_t, the pre-activations to run.pre (for a trace), c_t to run.c, h_t to
 * run.out, and h_t, c_t again to hNext, cNext at offset `next` (the next step's h_{t−1},
 * c_{t−1}, or the final state).
 */
export type ForwardStep = (s: number, t: number, hNext: FloatArray, cNext: FloatArray, next: number) => void;

/**
 * The LSTM's forward time loop: Z = x·W_ihᵀ + b_ih + b_hh over all steps at once, then per
 * step Z_t += h_{t−1}·W_hhᵀ and the cell's element-wise `step`.
 */
export function lstmSteps(run: SequenceRun, w: LayerWeights, h0: FloatArray, c0: FloatArray, step: ForwardStep): void {
  const { T, B, H, gates, hPrev } = run;
  // gates: [T, B, 4H], blocks i, f, g, o;  hPrev, cPrev: [T, B, H], the state that fed step t
  const cPrev = run.cPrev!;
  const G4 = 4 * H;
  projectInputs(run, w, true);
  hPrev.set(h0, timeAt(run, 0) * B * H);
  cPrev.set(c0, timeAt(run, 0) * B * H);
  for (let s = 0; s < T; s++) {
    if (s % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    // Z_t += h_{t−1}·W_hhᵀ
    gemmABt(B, G4, H, hPrev, t * B * H, H, w.whh, 0, H, gates, t * B * G4, G4);
    // h_t and c_t go where the next step processed reads them, or to the final state.
    const last = s + 1 === T;
    step(s, t, last ? run.hLast : hPrev, last ? run.cLast! : cPrev, last ? 0 : timeAt(run, s + 1) * B * H);
  }
}

/** What a backward step reads and writes: ∂L/∂Z of every step, and ∂L/∂h_t, ∂L/∂c_t arriving from step t+1. */
interface BackwardCarry {
  /** ∂L/∂Z: [T, B, 4H], blocks i, f, g, o; a step fills its time t. */
  dZ: FloatArray;
  /** ∂L/∂h_t from step t+1: [B, H]; the loop replaces it with ∂L/∂h_{t−1} after the step. */
  dhNext: FloatArray;
  /** ∂L/∂c_t from step t+1: [B, H]; the step replaces it with ∂L/∂c_{t−1}. */
  dcNext: FloatArray;
}

/** The element-wise part of one backward step s (time t): fills dZ_t and turns carry.dcNext into ∂L/∂c_{t−1}. */
export type BackwardStep = (s: number, t: number, carry: BackwardCarry) => void;

/**
 * The LSTM's backward time loop, from the last step processed to the first: the cell's
 * element-wise `step`, then ∂L/∂h_{t−1} = dZ_t · W_hh; truncated BPTT cuts the carried
 * gradients every `truncate` steps. After it, the weight gradients and ∂L/∂x from all of dZ at
 * once (projection.ts).
 */
export function lstmStepsBack(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  opt: BackwardOptions,
  step: BackwardStep,
): void {
  const { T, B, H, gates } = run;
  const G4 = 4 * H;
  // Scratch in the run's dtype, so every kernel call sees one array type (monomorphic in V8).
  const dtype = dtypeOf(gates);
  const carry: BackwardCarry = {
    dZ: allocate(dtype, T * B * G4),
    dhNext: allocate(dtype, B * H),
    dcNext: allocate(dtype, B * H),
  };
  const { dZ, dhNext, dcNext } = carry;
  if (opt.dhLast) dhNext.set(opt.dhLast);
  if (opt.dcLast) dcNext.set(opt.dcLast);
  // W_hhᵀ [H, 4H] once, so ∂L/∂h_{t−1} = dZ_t · W_hh runs as contiguous dot products.
  const whhT = transpose(w.whh, 0, H, G4, H);
  for (let s = T - 1; s >= 0; s--) {
    if ((T - 1 - s) % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    step(s, t, carry);
    // ∂L/∂h_{t−1} = dZ_t · W_hh
    dhNext.fill(0);
    gemmABt(B, H, G4, dZ, t * B * G4, G4, whhT, 0, G4, dhNext, 0, H);
    if (truncatesAt(opt, s)) {
      dhNext.fill(0);
      dcNext.fill(0);
    }
  }
  if (opt.dh0) opt.dh0.set(dhNext);
  if (opt.dc0) opt.dc0.set(dcNext);
  inputSideGrads(run, w, g, dZ, opt.dx);
  hiddenSideGrads(run, g, dZ);
}

/** Whether truncated BPTT stops the gradients carried from step s to step s − 1. */
export function truncatesAt(opt: BackwardOptions, s: number): boolean {
  return opt.truncate > 0 && s > 0 && s % opt.truncate === 0;
}

/** ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ of time t from their sums of squares, when the norms are measured. */
export function recordNorms(opt: BackwardOptions, t: number, sumH: number, sumC: number): void {
  if (opt.norms?.h) opt.norms.h[t] = Math.sqrt(sumH);
  if (opt.norms?.c) opt.norms.c[t] = Math.sqrt(sumC);
}

/** The standard LSTM, or with peepholes, forward over the sequence (the equations above). */
export function lstmForward(run: SequenceRun, w: LayerWeights, flags: LstmFlags, h0: FloatArray, c0: FloatArray): void {
  const { B, H, gates, pre, out, outOff, ldOut } = run;
  // gates, pre: [T, B, 4H], blocks i, f, g, o — pre-activations in, activations out (pre keeps the former)
  // cPrev: [T, B, H], c_{t−1} of step t;  cBuf: [T, B, H], c_t;  out: [T, B, ldOut]
  const cPrev = run.cPrev!;
  const cBuf = run.c!;
  const G4 = 4 * H;
  const P = flags.peephole ? w.peephole : null; // [3H], blocks p_i, p_f, p_o
  const [fi, ff, fg, fo, fc, fh] = fixedUnits(run);
  lstmSteps(run, w, h0, c0, (_s, t, hNext, cNext, next) => {
    const stepGates = t * B * G4; // gates[t]: [B, 4H]
    const stepState = t * B * H; // cPrev[t], c[t]: [B, H]
    for (let b = 0; b < B; b++) {
      const iOff = stepGates + b * G4,
        fOff = iOff + H,
        gOff = iOff + 2 * H,
        oOff = iOff + 3 * H;
      const rowState = stepState + b * H;
      const rowNext = next + b * H;
      const rowOut = (t * B + b) * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const cp = cPrev[rowState + j];
        let zi = gates[iOff + j];
        let zf = gates[fOff + j];
        const zg = gates[gOff + j];
        let zo = gates[oOff + j];
        if (P) {
          zi += P[j] * cp; //     + p_i ⊙ c_{t−1}
          zf += P[H + j] * cp; // + p_f ⊙ c_{t−1}
        }
        const i = pinned(fi, j, sigmoid(zi)); // i_t = σ(z_i)
        const f = pinned(ff, j, sigmoid(zf)); // f_t = σ(z_f)
        const g = pinned(fg, j, Math.tanh(zg)); // g_t = tanh(z_g)
        const c = pinned(fc, j, f * cp + i * g); // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
        if (P) zo += P[2 * H + j] * c; // + p_o ⊙ c_t
        const o = pinned(fo, j, sigmoid(zo)); // o_t = σ(z_o)
        const h = pinned(fh, j, o * Math.tanh(c)); // h_t = o_t ⊙ tanh(c_t)
        if (pre) {
          pre[iOff + j] = zi;
          pre[fOff + j] = zf;
          pre[gOff + j] = zg;
          pre[oOff + j] = zo;
        }
        gates[iOff + j] = i;
        gates[fOff + j] = f;
        gates[gOff + j] = g;
        gates[oOff + j] = o;
        cBuf[rowState + j] = c;
        out[rowOut + j] = h;
        hNext[rowNext + j] = h;
        cNext[rowNext + j] = c;
      }
    }
  });
}

/** The standard LSTM, or with peepholes, backward over the sequence (the equations above). */
export function lstmBackward(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  flags: LstmFlags,
  opt: BackwardOptions,
): void {
  const { B, H, gates, ldOut, outOff } = run;
  // As in the forward: gates [T, B, 4H] (i, f, g, o activations), cPrev and cBuf [T, B, H].
  const cPrev = run.cPrev!;
  const cBuf = run.c!;
  const G4 = 4 * H;
  const P = flags.peephole ? w.peephole : null;
  const dP = flags.peephole ? g.peephole : null;
  const dOut = opt.dOut; // [T, B, ldOut]
  // Fixed units are constants: no gradient flows through them.
  const [fi, ff, fg, fo, fc, fh] = fixedUnits(run);
  lstmStepsBack(run, w, g, opt, (_s, t, { dZ, dhNext, dcNext }) => {
    const stepGates = t * B * G4; // gates[t], dZ[t]: [B, 4H]
    const stepState = t * B * H; // cPrev[t], c[t]: [B, H]
    let sumH = 0;
    let sumC = 0;
    for (let b = 0; b < B; b++) {
      const iOff = stepGates + b * G4,
        fOff = iOff + H,
        gOff = iOff + 2 * H,
        oOff = iOff + 3 * H;
      const rowState = stepState + b * H;
      const rowCarry = b * H; // dhNext, dcNext
      const rowOut = (t * B + b) * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const dhIn = (dOut ? dOut[rowOut + j] : 0) + dhNext[rowCarry + j];
        const dh = isPinned(fh, j) ? 0 : dhIn; // a fixed h_t passes nothing back to o_t and c_t
        const i = gates[iOff + j];
        const f = gates[fOff + j];
        const gg = gates[gOff + j];
        const o = gates[oOff + j];
        const c = cBuf[rowState + j];
        const cp = cPrev[rowState + j];
        const tc = Math.tanh(c);
        const dO = dh * tc; // do = dh ⊙ tanh(c_t)
        const dzo = isPinned(fo, j) ? 0 : dO * o * (1 - o);
        // dc += dh ⊙ o_t ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o
        let dc = dcNext[rowCarry + j] + dh * o * (1 - tc * tc);
        if (P) dc += dzo * P[2 * H + j];
        const dcIn = dc; // ‖∂L/∂c_t‖ for the norms, before a fixed c_t stops it
        if (isPinned(fc, j)) dc = 0;
        // di = dc ⊙ g_t, df = dc ⊙ c_{t−1}; each added to 0 (which turns a −0 into +0), as the
        // variants' loop adds them to what gate recurrence brings: the same bits in dZ on both.
        const di = 0 + dc * gg;
        const df = 0 + dc * cp;
        const dg = dc * i; // dg = dc ⊙ i_t
        const dzi = isPinned(fi, j) ? 0 : di * i * (1 - i);
        const dzf = isPinned(ff, j) ? 0 : df * f * (1 - f);
        const dzg = isPinned(fg, j) ? 0 : dg * (1 - gg * gg);
        // ∂L/∂c_{t−1} = dc ⊙ f_t + dz_i ⊙ p_i + dz_f ⊙ p_f
        let dcp = dc * f;
        if (P) {
          dcp += dzi * P[j] + dzf * P[H + j];
          if (dP) {
            dP[j] += dzi * cp;
            dP[H + j] += dzf * cp;
            dP[2 * H + j] += dzo * c;
          }
        }
        dZ[iOff + j] = dzi;
        dZ[fOff + j] = dzf;
        dZ[gOff + j] = dzg;
        dZ[oOff + j] = dzo;
        dcNext[rowCarry + j] = dcp;
        sumH += dhIn * dhIn;
        sumC += dcIn * dcIn;
      }
    }
    recordNorms(opt, t, sumH, sumC);
  });
}
