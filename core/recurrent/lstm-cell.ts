/**
 * LSTM with forget gate (Hochreiter & Schmidhuber 1997; Gers, Schmidhuber & Cummins 2000),
 * over a whole sequence, forward and backward. Gate blocks are stacked i, f, g, o (PyTorch).
 *
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi [+ p_i ⊙ c_{t−1}])     input gate
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf [+ p_f ⊙ c_{t−1}])     forget gate
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)                    candidate
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                                      cell state
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho [+ p_o ⊙ c_t])         output gate
 *   h_t = o_t ⊙ tanh(c_t)
 *
 * Bracketed terms are the peepholes (Gers & Schmidhuber 2000): i and f look at c_{t−1},
 * o at c_t. The variants of Greff et al. 2015 switch parts off:
 *   NIG i_t = 1    NFG f_t = 1    NOG o_t = 1    CIFG f_t = 1 − i_t
 *   NIAF g_t = its pre-activation (no tanh)      NOAF h_t = o_t ⊙ c_t (no tanh)
 *   FGR  the pre-activations of i, f, o add R·[i,f,o]_{t−1} (R: [3H, 3H])
 * A switched-off gate keeps its rows in the weight matrices (so shapes match PyTorch), but
 * they receive zero gradient and are initialised to zero.
 *
 * Interventions (intervention.ts) hold units of i, f, g, o, c_t or h_t at fixed values right
 * where they are computed; the backward treats them as constants (their dz, dc or dh is 0).
 *
 * Backward, per step (dh = ∂L/∂h_t from the output plus from step t+1; dc likewise):
 *   do = dh ⊙ tanh(c_t)             dc += dh ⊙ o_t ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o
 *   di = dc ⊙ g_t   dg = dc ⊙ i_t   df = dc ⊙ c_{t−1}        (CIFG: di −= df)
 *   dz_a = da ⊙ a(1 − a) for a ∈ {i, f, o};   dz_g = dg ⊙ (1 − g²)
 *   ∂L/∂c_{t−1} = dc ⊙ f_t + dz_i ⊙ p_i + dz_f ⊙ p_f      ∂L/∂h_{t−1} = dZ_t · W_hh
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { gemmAB, gemmABt, gemmAtB, transpose } from '../kernels/gemm';
import { hiddenSideGrads, inputSideGrads, projectInputs } from './projection';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
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

export function lstmForward(run: SequenceRun, w: LayerWeights, flags: LstmFlags, h0: FloatArray, c0: FloatArray): void {
  const { T, B, H, gates, pre, hPrev, out, outOff, ldOut } = run;
  // gates, pre: [T, B, 4H], blocks i, f, g, o — pre-activations in, activations out (pre keeps the former)
  // hPrev, cPrev: [T, B, H], the state that fed step t;  cBuf: [T, B, H], c_t;  out: [T, B, ldOut]
  const cPrev = run.cPrev!;
  const cBuf = run.c!;
  const G4 = 4 * H;
  // Peepholes [3H], blocks p_i, p_f, p_o; gate recurrence R [3H, 3H] over [i, f, o].
  const P = flags.peephole ? w.peephole : null;
  const R = flags.fullGateRecurrence ? w.gate : null;
  const { inputGate, forgetGate, outputGate, coupled, inputActivation, outputActivation } = flags;
  // FGR scratch, [B, 3H] each, blocks i, f, o: the previous step's activations, and R times them.
  const dtype = dtypeOf(gates);
  const aPrev = R ? allocate(dtype, B * 3 * H) : null;
  const rz = R ? allocate(dtype, B * 3 * H) : null;
  // Units held fixed by interventions, per quantity (null: none).
  const fix = run.fixed;
  const [fi, ff, fg, fo, fc, fh] = ['i', 'f', 'g', 'o', 'c', 'h'].map((q) => fix?.[q] ?? null);

  projectInputs(run, w, true);
  hPrev.set(h0, timeAt(run, 0) * B * H);
  cPrev.set(c0, timeAt(run, 0) * B * H);

  for (let s = 0; s < T; s++) {
    if (s % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const stepGates = t * B * G4; // gates[t]: [B, 4H]
    const stepState = t * B * H; // hPrev[t], cPrev[t], c[t]: [B, H]
    // Z_t += h_{t−1}·W_hhᵀ
    gemmABt(B, G4, H, hPrev, stepState, H, w.whh, 0, H, gates, stepGates, G4);
    if (R && aPrev && rz) {
      // rz = [i, f, o]_{t−1}·Rᵀ (zero at the first step)
      rz.fill(0);
      if (s > 0) gemmABt(B, 3 * H, 3 * H, aPrev, 0, 3 * H, R, 0, 3 * H, rz, 0, 3 * H);
    }
    // h_t and c_t go where the next step processed reads them, or to the final state.
    const last = s + 1 === T;
    const hNext = last ? run.hLast : hPrev;
    const cNext = last ? run.cLast! : cPrev;
    const stepNext = last ? 0 : timeAt(run, s + 1) * B * H;
    for (let b = 0; b < B; b++) {
      const iOff = stepGates + b * G4,
        fOff = iOff + H,
        gOff = iOff + 2 * H,
        oOff = iOff + 3 * H;
      const rowState = stepState + b * H;
      const rowNext = stepNext + b * H;
      const rowOut = (t * B + b) * ldOut + outOff;
      const rowIfo = b * 3 * H; // rz, aPrev: blocks i, f, o
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
        if (rz) {
          zi += rz[rowIfo + j];
          zf += rz[rowIfo + H + j];
          zo += rz[rowIfo + 2 * H + j];
        }
        const i = pinned(fi, j, inputGate ? sigmoid(zi) : 1);
        const f = pinned(ff, j, coupled ? 1 - i : forgetGate ? sigmoid(zf) : 1);
        const g = pinned(fg, j, inputActivation ? Math.tanh(zg) : zg);
        const c = pinned(fc, j, f * cp + i * g); // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
        if (P) zo += P[2 * H + j] * c; // + p_o ⊙ c_t
        const o = pinned(fo, j, outputGate ? sigmoid(zo) : 1);
        const h = pinned(fh, j, o * (outputActivation ? Math.tanh(c) : c)); // h_t = o_t ⊙ tanh(c_t)
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
        if (aPrev) {
          aPrev[rowIfo + j] = i;
          aPrev[rowIfo + H + j] = f;
          aPrev[rowIfo + 2 * H + j] = o;
        }
      }
    }
  }
}

export function lstmBackward(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  flags: LstmFlags,
  opt: BackwardOptions,
): void {
  const { T, B, H, gates, ldOut, outOff } = run;
  // As in the forward: gates [T, B, 4H] (i, f, g, o activations), cPrev and cBuf [T, B, H].
  const cPrev = run.cPrev!;
  const cBuf = run.c!;
  const G4 = 4 * H;
  const P = flags.peephole ? w.peephole : null;
  const dP = flags.peephole ? g.peephole : null;
  const R = flags.fullGateRecurrence ? w.gate : null;
  const { inputGate, forgetGate, outputGate, coupled, inputActivation, outputActivation } = flags;
  const dOut = opt.dOut; // [T, B, ldOut]
  // Scratch in the run's dtype, so every kernel call sees one array type (monomorphic in V8).
  const dtype = dtypeOf(gates);
  const dZ = allocate(dtype, T * B * G4); // ∂L/∂Z: [T, B, 4H], blocks i, f, g, o
  const dhNext = allocate(dtype, B * H); // ∂L/∂h_t from step t+1: [B, H]
  const dcNext = allocate(dtype, B * H); // ∂L/∂c_t from step t+1: [B, H]
  if (opt.dhLast) dhNext.set(opt.dhLast);
  if (opt.dcLast) dcNext.set(opt.dcLast);
  // FGR, [B, 3H] each, blocks i, f, o: ∂L/∂[i,f,o]_t arriving from step t+1 through R, dz_[i,f,o], and [i,f,o]_{t−1}.
  const daNext = R ? allocate(dtype, B * 3 * H) : null;
  const dzIfo = R ? allocate(dtype, B * 3 * H) : null;
  const aPrev = R ? allocate(dtype, B * 3 * H) : null;
  const normH = opt.norms?.h ?? null;
  const normC = opt.norms?.c ?? null;
  // Fixed units are constants: no gradient flows through them.
  const fix = run.fixed;
  const [fi, ff, fg, fo, fc, fh] = ['i', 'f', 'g', 'o', 'c', 'h'].map((q) => fix?.[q] ?? null);
  // W_hhᵀ [H, 4H] once, so ∂L/∂h_{t−1} = dZ_t · W_hh runs as contiguous dot products.
  const whhT = transpose(w.whh, 0, H, G4, H);

  for (let s = T - 1; s >= 0; s--) {
    if ((T - 1 - s) % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
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
      const rowIfo = b * 3 * H; // daNext, dzIfo: blocks i, f, o
      for (let j = 0; j < H; j++) {
        const dhIn = (dOut ? dOut[rowOut + j] : 0) + dhNext[rowCarry + j];
        const dh = isPinned(fh, j) ? 0 : dhIn; // a fixed h_t passes nothing back to o_t and c_t
        const i = gates[iOff + j];
        const f = gates[fOff + j];
        const gg = gates[gOff + j];
        const o = gates[oOff + j];
        const c = cBuf[rowState + j];
        const cp = cPrev[rowState + j];
        const ac = outputActivation ? Math.tanh(c) : c;
        let dO = dh * ac; // do = dh ⊙ tanh(c_t)
        let di = 0;
        let df = 0;
        if (daNext) {
          di = daNext[rowIfo + j];
          df = daNext[rowIfo + H + j];
          dO += daNext[rowIfo + 2 * H + j];
        }
        const dzo = outputGate && !isPinned(fo, j) ? dO * o * (1 - o) : 0;
        // dc += dh ⊙ o_t ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o
        let dc = dcNext[rowCarry + j] + dh * o * (outputActivation ? 1 - ac * ac : 1);
        if (P) dc += dzo * P[2 * H + j];
        const dcIn = dc; // ‖∂L/∂c_t‖ for the norms, before a fixed c_t stops it
        if (isPinned(fc, j)) dc = 0;
        di += dc * gg; // di = dc ⊙ g_t
        df += dc * cp; // df = dc ⊙ c_{t−1}
        const dg = dc * i; // dg = dc ⊙ i_t
        if (coupled) di -= df; // f = 1 − i
        const dzi = inputGate && !isPinned(fi, j) ? di * i * (1 - i) : 0;
        const dzf = forgetGate && !coupled && !isPinned(ff, j) ? df * f * (1 - f) : 0;
        const dzg = isPinned(fg, j) ? 0 : inputActivation ? dg * (1 - gg * gg) : dg;
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
        if (dzIfo) {
          dzIfo[rowIfo + j] = dzi;
          dzIfo[rowIfo + H + j] = dzf;
          dzIfo[rowIfo + 2 * H + j] = dzo;
        }
      }
    }
    if (normH) normH[t] = Math.sqrt(sumH);
    if (normC) normC[t] = Math.sqrt(sumC);
    // ∂L/∂h_{t−1} = dZ_t · W_hh
    dhNext.fill(0);
    gemmABt(B, H, G4, dZ, stepGates, G4, whhT, 0, G4, dhNext, 0, H);
    if (R && daNext && dzIfo && aPrev) {
      daNext.fill(0);
      if (s > 0) {
        // ∂L/∂[i,f,o]_{t−1} = dz_[i,f,o],t · R ;  ∂L/∂R += dz_[i,f,o],tᵀ · [i,f,o]_{t−1}
        const stepPrev = timeAt(run, s - 1) * B * G4; // gates[t−1]: [B, 4H]
        for (let b = 0; b < B; b++) {
          const iPrev = stepPrev + b * G4,
            fPrev = iPrev + H,
            oPrev = iPrev + 3 * H;
          const rowIfo = b * 3 * H;
          for (let j = 0; j < H; j++) {
            aPrev[rowIfo + j] = gates[iPrev + j];
            aPrev[rowIfo + H + j] = gates[fPrev + j];
            aPrev[rowIfo + 2 * H + j] = gates[oPrev + j];
          }
        }
        gemmAB(B, 3 * H, 3 * H, dzIfo, 0, 3 * H, R, 0, 3 * H, daNext, 0, 3 * H);
        if (g.gate) gemmAtB(3 * H, 3 * H, B, dzIfo, 0, 3 * H, aPrev, 0, 3 * H, g.gate, 0, 3 * H);
      }
    }
    if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) {
      dhNext.fill(0);
      dcNext.fill(0);
      daNext?.fill(0);
    }
  }
  if (opt.dh0) opt.dh0.set(dhNext);
  if (opt.dc0) opt.dc0.set(dcNext);
  inputSideGrads(run, w, g, dZ, opt.dx);
  hiddenSideGrads(run, g, dZ);
}
