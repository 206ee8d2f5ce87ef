/**
 * The LSTM variants of Greff et al. 2015 ("LSTM: A Search Space Odyssey"), over a whole
 * sequence, forward and backward, on the JS engine only (the WebAssembly kernels compute the
 * standard cell and peepholes). Each switches off or changes one part of the cell of
 * lstm-cell.ts (where the full equations are), with or without its peepholes:
 *
 *   NIG   i_t = 1                    no input gate
 *   NFG   f_t = 1                    no forget gate
 *   NOG   o_t = 1                    no output gate
 *   CIFG  f_t = 1 − i_t              coupled input and forget gate
 *   NIAF  g_t = z_g                  no input activation (no tanh)
 *   NOAF  h_t = o_t ⊙ c_t            no output activation (no tanh)
 *   FGR   z_a += R_a · [i, f, o]_{t−1} for a ∈ {i, f, o}   full gate recurrence (R: [3H, 3H])
 *
 * A switched-off gate keeps its rows in the weight matrices (so shapes match PyTorch), but
 * they receive zero gradient and are initialised to zero. Interventions hold units fixed as in
 * the standard cell.
 *
 * Backward, what changes against the standard cell's:
 *   NIG, NFG, NOG   dz of the removed gate is 0 (a constant)
 *   CIFG            di −= df (f = 1 − i), dz_f = 0
 *   NIAF            dz_g = dg                NOAF   do = dh ⊙ c_t, dc += dh ⊙ o_t
 *   FGR             da_{t−1} += dz_[i,f,o],t · R for a ∈ {i, f, o};  ∂L/∂R += dz_[i,f,o],tᵀ · [i,f,o]_{t−1}
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { gemmAB, gemmABt, gemmAtB } from '../kernels/gemm';
import { fixedUnits, lstmSteps, lstmStepsBack, recordNorms, truncatesAt, type LstmFlags } from './lstm-cell';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { isPinned, pinned, timeAt } from './run';
import { sigmoid } from './sigmoid';

/** A Greff variant forward over the sequence: the standard cell's loop with the variant's parts switched. */
export function lstmVariantForward(
  run: SequenceRun,
  w: LayerWeights,
  flags: LstmFlags,
  h0: FloatArray,
  c0: FloatArray,
): void {
  const { B, H, gates, pre, out, outOff, ldOut } = run;
  // gates, pre: [T, B, 4H], blocks i, f, g, o — pre-activations in, activations out (pre keeps the former)
  // cPrev: [T, B, H], c_{t−1} of step t;  cBuf: [T, B, H], c_t;  out: [T, B, ldOut]
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
  const [fi, ff, fg, fo, fc, fh] = fixedUnits(run);
  lstmSteps(run, w, h0, c0, (s, t, hNext, cNext, next) => {
    if (R && aPrev && rz) {
      // FGR: rz = [i, f, o]_{t−1}·Rᵀ (zero at the first step)
      rz.fill(0);
      if (s > 0) gemmABt(B, 3 * H, 3 * H, aPrev, 0, 3 * H, R, 0, 3 * H, rz, 0, 3 * H);
    }
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
          zi += rz[rowIfo + j]; //         FGR: + R_i · [i, f, o]_{t−1}
          zf += rz[rowIfo + H + j]; //     + R_f · [i, f, o]_{t−1}
          zo += rz[rowIfo + 2 * H + j]; // + R_o · [i, f, o]_{t−1}
        }
        const i = pinned(fi, j, inputGate ? sigmoid(zi) : 1); // NIG: i_t = 1
        const f = pinned(ff, j, coupled ? 1 - i : forgetGate ? sigmoid(zf) : 1); // CIFG: f_t = 1 − i_t; NFG: f_t = 1
        const g = pinned(fg, j, inputActivation ? Math.tanh(zg) : zg); // NIAF: g_t = z_g
        const c = pinned(fc, j, f * cp + i * g); // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
        if (P) zo += P[2 * H + j] * c; // + p_o ⊙ c_t
        const o = pinned(fo, j, outputGate ? sigmoid(zo) : 1); // NOG: o_t = 1
        const h = pinned(fh, j, o * (outputActivation ? Math.tanh(c) : c)); // NOAF: h_t = o_t ⊙ c_t
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
  });
}

/** A Greff variant backward over the sequence: the standard cell's backward with the variant's parts switched. */
export function lstmVariantBackward(
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
  const R = flags.fullGateRecurrence ? w.gate : null;
  const { inputGate, forgetGate, outputGate, coupled, inputActivation, outputActivation } = flags;
  const dOut = opt.dOut; // [T, B, ldOut]
  // FGR, [B, 3H] each, blocks i, f, o: ∂L/∂[i,f,o]_t arriving from step t+1 through R, dz_[i,f,o], and [i,f,o]_{t−1}.
  const dtype = dtypeOf(gates);
  const daNext = R ? allocate(dtype, B * 3 * H) : null;
  const dzIfo = R ? allocate(dtype, B * 3 * H) : null;
  const aPrev = R ? allocate(dtype, B * 3 * H) : null;
  // Fixed units are constants: no gradient flows through them.
  const [fi, ff, fg, fo, fc, fh] = fixedUnits(run);
  lstmStepsBack(run, w, g, opt, (s, t, { dZ, dhNext, dcNext }) => {
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
        let dO = dh * ac; // do = dh ⊙ tanh(c_t)   (NOAF: dh ⊙ c_t)
        let di = 0;
        let df = 0;
        if (daNext) {
          // FGR: what [i, f, o]_t gave step t+1 through R
          di = daNext[rowIfo + j];
          df = daNext[rowIfo + H + j];
          dO += daNext[rowIfo + 2 * H + j];
        }
        const dzo = outputGate && !isPinned(fo, j) ? dO * o * (1 - o) : 0;
        // dc += dh ⊙ o_t ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o   (NOAF: dh ⊙ o_t)
        let dc = dcNext[rowCarry + j] + dh * o * (outputActivation ? 1 - ac * ac : 1);
        if (P) dc += dzo * P[2 * H + j];
        const dcIn = dc; // ‖∂L/∂c_t‖ for the norms, before a fixed c_t stops it
        if (isPinned(fc, j)) dc = 0;
        di += dc * gg; // di = dc ⊙ g_t
        df += dc * cp; // df = dc ⊙ c_{t−1}
        const dg = dc * i; // dg = dc ⊙ i_t
        if (coupled) di -= df; // CIFG: f = 1 − i
        const dzi = inputGate && !isPinned(fi, j) ? di * i * (1 - i) : 0;
        const dzf = forgetGate && !coupled && !isPinned(ff, j) ? df * f * (1 - f) : 0;
        const dzg = isPinned(fg, j) ? 0 : inputActivation ? dg * (1 - gg * gg) : dg; // NIAF: dz_g = dg
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
    recordNorms(opt, t, sumH, sumC);
    if (R && daNext && dzIfo && aPrev) {
      gateRecurrenceBack(run, s, R, g.gate, dzIfo, aPrev, daNext);
      if (truncatesAt(opt, s)) daNext.fill(0);
    }
  });
}

/**
 * FGR's backward through R at step s: what [i, f, o]_{t−1} receives and R's gradient.
 *   ∂L/∂[i,f,o]_{t−1} = dz_[i,f,o],t · R        ∂L/∂R += dz_[i,f,o],tᵀ · [i,f,o]_{t−1}
 * (none at the first step, whose R term was zero). dzIfo: [B, 3H] of this step; aPrev: [B, 3H]
 * scratch; daNext: [B, 3H], replaced.
 */
function gateRecurrenceBack(
  run: SequenceRun,
  s: number,
  R: FloatArray,
  dR: FloatArray | null,
  dzIfo: FloatArray,
  aPrev: FloatArray,
  daNext: FloatArray,
): void {
  const { B, H, gates } = run;
  const G4 = 4 * H;
  daNext.fill(0);
  if (s === 0) return;
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
  if (dR) gemmAtB(3 * H, 3 * H, B, dzIfo, 0, 3 * H, aPrev, 0, 3 * H, dR, 0, 3 * H);
}
