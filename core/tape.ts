/**
 * Reverse-mode differentiation by a tape of closures (the shape of recurrentjs' Graph and
 * micrograd's `_backward`). An op that is given a tape gives its output a gradient buffer and
 * records a closure that reads ∂L/∂out and *adds* into ∂L/∂input for every input that has a
 * gradient buffer. `backward(loss)` seeds ∂L/∂loss = 1 and runs the closures last to first.
 *
 * The whole recurrent layer is one entry on the tape (a fused BPTT over the sequence), so the
 * tape stays short: a few entries per training step, not one per time step.
 */
import { LstmError } from './errors';
import { Tensor, formatShape } from './tensor';

/**
 * Records a forward pass so `backward(loss)` can compute every ∂L/∂θ. Pass it to ops as
 * `{ tape }`; one tape per training step (a used tape refuses more work).
 * @example const tape = new Tape(); const { output } = model.forward(x, { tape }); const loss = mseLoss(output, y, { tape }); tape.backward(loss);
 */
export class Tape {
  private entries: Array<() => void> = [];
  private used = false;

  /** Records the backward of an op; called by ops, not by users. */
  record(backward: () => void): void {
    if (this.used)
      throw new LstmError('Tape.record: this tape was already used by backward(); make a new Tape for each step');
    this.entries.push(backward);
  }

  /** Gives `out` a zeroed gradient buffer so later ops can add into it. */
  track(out: Tensor): Tensor {
    out.requireGrad();
    return out;
  }

  /** How many backward closures are recorded (a few per step: a recurrent layer is one entry). */
  get length(): number {
    return this.entries.length;
  }

  /**
   * Backpropagates from a scalar loss: seeds ∂L/∂loss = 1, runs the recorded closures last to
   * first. Gradients accumulate into existing buffers (zeroGrad between steps). Uses the tape up.
   * @throws {LstmError} when the loss has more than one value, was not computed on this tape, or the tape was used already.
   */
  backward(loss: Tensor): void {
    if (this.used) throw new LstmError('Tape.backward: this tape was already used; make a new Tape for each step');
    if (loss.size !== 1)
      throw new LstmError(`Tape.backward: expected a scalar loss (one value), got shape ${formatShape(loss.shape)}`);
    if (loss.grad === null)
      throw new LstmError(
        'Tape.backward: the loss was not computed on this tape (pass { tape } to the ops that made it)',
      );
    loss.grad[0] += 1;
    for (let i = this.entries.length - 1; i >= 0; i--) this.entries[i]();
    this.used = true;
    this.entries = [];
  }
}
