/**
 * The training loop: mini-batches of a SequenceDataset through a recurrent model and a head,
 * a loss, backpropagation through time, clipping, a learning-rate schedule and an optimizer.
 * It reports through callbacks and returns a history; it never prints (minGPT's trainer).
 *
 *   target 'last'     : loss(head(h_T), y)            — adding problem, temporal order
 *   target 'sequence' : loss(head(h_t), y_t) for all t — language models, copy task
 *
 * The loop is async so a host (the notebook kernel) can yield to its event loop from a
 * callback and stop a long run cleanly; with synchronous callbacks it never waits.
 */
import type { SequenceDataset } from './data/dataset';
import { LstmError, checkInt, checkKeys, checkNumber, describe } from './errors';
import { pollInterrupt } from './interrupt';
import { Linear } from './linear';
import { bceWithLogitsLoss, crossEntropyLoss, mseLoss } from './loss';
import { clipGradNorm, clipGradValue, gradNorm } from './clip';
import { parametersOf } from './module';
import { timeStep } from './ops';
import { Adam } from './optim/adam';
import type { Optimizer } from './optim/optimizer';
import { Rng, globalRng } from './random';
import { RecurrentModel } from './recurrent/model';
import type { Schedule } from './schedule';
import { inPhase } from './kernels/phases';
import { Tape } from './tape';
import { Tensor, formatShape } from './tensor';

/**
 * The loss train() and evaluate() use: 'mse' (mseLoss), 'crossEntropy' (crossEntropyLoss on class
 * targets) or 'bce' (bceWithLogitsLoss).
 */
export type LossName = 'mse' | 'crossEntropy' | 'bce';

/** What train() passes to onStep after each optimizer step. */
export interface StepInfo {
  /** Optimizer steps done so far, 1 after the first. */
  step: number;
  /** The epoch, from 1. */
  epoch: number;
  /** The batch within the epoch, from 1. */
  batch: number;
  /** The batch's loss, before the update. */
  loss: number;
  /** The learning rate this step used (after the schedule). */
  lr: number;
  /** Global 2-norm of the gradients before clipping. */
  gradNorm: number;
}

/** What train() passes to onEpoch after each epoch (and keeps in history.epochs). */
export interface EpochInfo {
  /** The epoch, from 1. */
  epoch: number;
  /** Optimizer steps done so far. */
  step: number;
  /** The epoch's training loss, batches weighted by their size (each measured before its update). */
  trainLoss: number;
  /** The loss on `validation`, after the epoch (when a validation set is given). */
  validationLoss?: number;
  /** The fraction of correct argmax predictions on `validation`, for class targets. */
  validationAccuracy?: number;
}

/** What a callback may return: false or 'stop' ends training after this step. */
export type CallbackResult = void | boolean | 'stop' | Promise<void | boolean | 'stop'>;

/** Options of train(). Everything has a default; `await train(model, data)` runs 10 epochs of Adam(1e-3). */
export interface TrainOptions {
  /** Passes over the dataset. Default 10. */
  epochs?: number;
  /** Sequences per batch (the last batch may be smaller). Default 32. */
  batchSize?: number;
  /** What updates the weights. Default `new Adam(1e-3)`. Its `lr` is the base of `schedule`. */
  optimizer?: Optimizer;
  /** Default: 'crossEntropy' when the dataset has classes, 'mse' otherwise. */
  loss?: LossName;
  /** Clip the global gradient norm to this value (Pascanu et al. 2013). */
  clip?: number;
  /** Clip every gradient entry to [−clipValue, clipValue]. */
  clipValue?: number;
  /**
   * Sets optimizer.lr = schedule(step, baseLr) before each step, baseLr the optimizer's lr when
   * train() starts; when train() returns (or throws) the optimizer's lr is baseLr again, so a second
   * train() with the same optimizer starts from the same base (the rates used are in history.steps).
   * Default none.
   */
  schedule?: Schedule;
  /** Shuffle the dataset at every epoch (with `rng`). Default true. */
  shuffle?: boolean;
  /** The generator for shuffling. Default the global one (see seed()). */
  rng?: Rng;
  /** A held-out dataset evaluated after every epoch (validationLoss, validationAccuracy). Default none. */
  validation?: SequenceDataset;
  /** Truncated BPTT window (0 = full BPTT). */
  truncate?: number;
  /** Stop after this many optimizer steps in total. */
  maxSteps?: number;
  /** Called after each step; return false or 'stop' (or a promise of it) to stop training. */
  onStep?: (info: StepInfo) => CallbackResult;
  /** Called after each epoch, after validation; return false or 'stop' to stop training. */
  onEpoch?: (info: EpochInfo) => CallbackResult;
  /** Training stops after the current step once `signal.aborted` is true (an AbortSignal fits). */
  signal?: { readonly aborted: boolean };
}

/** What train() returns: every step and epoch, why it stopped, which loss it used. */
export interface History {
  /** One entry per optimizer step, in order. */
  steps: StepInfo[];
  /** One entry per epoch run (a stopped epoch included), in order. */
  epochs: EpochInfo[];
  /** 'completed', 'maxSteps' or 'requested' (a callback or the signal asked to stop). */
  stopped: 'completed' | 'maxSteps' | 'requested';
  /** The loss used, given or chosen from the dataset. */
  loss: LossName;
}

const TRAIN_KEYS = [
  'epochs',
  'batchSize',
  'optimizer',
  'loss',
  'clip',
  'clipValue',
  'schedule',
  'shuffle',
  'rng',
  'validation',
  'truncate',
  'maxSteps',
  'onStep',
  'onEpoch',
  'signal',
];

/**
 * What train() and evaluate() take: a recurrent model alone (its output is the prediction) or
 * `[model, head]` with a Linear head on the model's output.
 */
export type Trainable = RecurrentModel | readonly [RecurrentModel, Linear];

/**
 * Trains a model (or `[model, head]`) on a dataset: mini-batches, forward, loss, BPTT, clipping,
 * schedule, optimizer step; for 'last' targets the loss is on head(h_T), for 'sequence' targets
 * on head(h_t) at every t. Inputs are fed time-major [T, B, I]. Reports through onStep and
 * onEpoch, never prints; stops early when a callback returns false or 'stop', at maxSteps, or
 * when `signal.aborted`.
 * @example const history = await train([model, head], tasks.adding({ length: 50, count: 1000 }), { epochs: 5 });
 * @throws {LstmError} for an unknown or bad option; a model that is batchFirst or whose input size,
 * or head whose sizes, do not fit the dataset; a loss that does not fit the targets; and when the
 * loss or the gradient norm stops being finite (before that update, so the weights stay finite).
 */
export async function train(modules: Trainable, data: SequenceDataset, options: TrainOptions = {}): Promise<History> {
  const { model, head, epochs, batchSize, truncate, maxSteps, lossName, optimizer } = checkTrain(
    modules,
    data,
    options,
  );
  const rng = options.rng ?? globalRng;
  const params = parametersOf(head ? [model, head] : [model]);
  const baseLr = optimizer.lr;

  const history: History = { steps: [], epochs: [], stopped: 'completed', loss: lossName };
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = options.shuffle === false ? data : data.shuffled(rng);
      let sum = 0;
      let count = 0;
      for (let start = 0, batch = 0; start < order.size; start += batchSize, batch++) {
        const { inputs, targets } = order.batch(start, Math.min(start + batchSize, order.size));
        if (options.schedule) optimizer.lr = options.schedule(step, baseLr);
        const { loss, gradNorm: norm } = trainStep({
          model,
          head,
          params,
          optimizer,
          inputs,
          targets,
          loss: lossName,
          target: data.target,
          truncate,
          clip: options.clip,
          clipValue: options.clipValue,
          where: `step ${step + 1} (epoch ${epoch + 1}, batch ${batch + 1})`,
        });
        step++;
        sum += loss * targets.shape[data.target === 'sequence' ? 1 : 0];
        count += targets.shape[data.target === 'sequence' ? 1 : 0];
        const info: StepInfo = { step, epoch: epoch + 1, batch: batch + 1, loss, lr: optimizer.lr, gradNorm: norm };
        history.steps.push(info);
        if (wantsStop(await options.onStep?.(info)) || options.signal?.aborted) {
          history.stopped = 'requested';
          break;
        }
        if (step >= maxSteps) {
          history.stopped = 'maxSteps';
          break;
        }
      }
      const e: EpochInfo = { epoch: epoch + 1, step, trainLoss: sum / Math.max(count, 1) };
      if (options.validation) {
        const v = evaluate(head ? [model, head] : model, options.validation, { loss: lossName, batchSize });
        e.validationLoss = v.loss;
        if (v.accuracy !== undefined) e.validationAccuracy = v.accuracy;
      }
      history.epochs.push(e);
      if (history.stopped !== 'completed') break;
      if (wantsStop(await options.onEpoch?.(e)) || options.signal?.aborted) {
        history.stopped = 'requested';
        break;
      }
    }
  } finally {
    // The schedule's last rate would otherwise become the next train()'s base.
    if (options.schedule) optimizer.lr = baseLr;
  }
  return history;
}

/** One training step's inputs, for trainStep() (train() builds them); for loops of your own. */
export interface StepSpec {
  /** The recurrent model; time-major (not batchFirst). */
  model: RecurrentModel;
  /** A Linear head on the model's output, or null to use the output itself. */
  head: Linear | null;
  /** parametersOf([model, head]), computed once by the caller. */
  params: Tensor[];
  /** What updates `params`. */
  optimizer: Optimizer;
  /** [T, B, I] */
  inputs: Tensor;
  /** As SequenceDataset.batch returns them. */
  targets: Tensor;
  /** 'mse', 'crossEntropy' or 'bce'. */
  loss: LossName;
  /** 'last': loss on the last step's prediction; 'sequence': on every step's. */
  target: 'last' | 'sequence';
  /** Truncated BPTT window (default 0 = full BPTT). */
  truncate?: number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  clip?: number;
  /** Clip every gradient entry to [−clipValue, clipValue] (default: no clipping). */
  clipValue?: number;
  /** Where this step is, for error messages ("step 12 (epoch 1, batch 12)"). */
  where?: string;
}

/**
 * One optimizer step: zero gradients, forward, loss, BPTT, clip, update. Stops with an error
 * before the update when the loss or the gradient is not finite, so weights are never
 * poisoned by NaN.
 */
export function trainStep(s: StepSpec): { loss: number; gradNorm: number } {
  for (const p of s.params) p.zeroGrad();
  const tape = new Tape();
  const lossT = lossFrom(
    predictions(s.model, s.head, s.inputs, s.target, tape, s.truncate ?? 0),
    s.targets,
    s.loss,
    tape,
  );
  const loss = lossT.data[0];
  const where = s.where ?? 'this step';
  if (!Number.isFinite(loss)) {
    throw new LstmError(
      `train: the loss became ${loss} at ${where}; expected a finite loss — lower the learning rate (now ${s.optimizer.lr}), clip gradients (clip: 1) or check the data for extreme values`,
    );
  }
  tape.backward(lossT);
  const norm = inPhase('gradient norm', () => gradNorm(s.params));
  if (!Number.isFinite(norm))
    throw new LstmError(
      `train: the gradient norm became ${norm} at ${where}; expected finite gradients — lower the learning rate (now ${s.optimizer.lr}) or clip gradients (clip: 1)`,
    );
  if (s.clipValue !== undefined) clipGradValue(s.params, s.clipValue);
  if (s.clip !== undefined) clipGradNorm(s.params, s.clip);
  inPhase('optimizer', () => s.optimizer.step(s.params));
  return { loss, gradNorm: norm };
}

/** What evaluate() returns. */
export interface Evaluation {
  /** The mean loss over the dataset. */
  loss: number;
  /** Fraction of correct argmax predictions, for class targets. */
  accuracy?: number;
}

/**
 * Mean loss (and accuracy for classes) over a dataset, no gradients, no dropout.
 * Options: loss (default 'crossEntropy' for class targets, 'mse' otherwise), batchSize (default 256).
 * @example const { loss, accuracy } = evaluate([model, head], testSet);
 * @throws {LstmError} as train() does for models, heads and datasets that do not fit, or a bad option.
 */
export function evaluate(
  modules: Trainable,
  data: SequenceDataset,
  options: { loss?: LossName; batchSize?: number } = {},
): Evaluation {
  checkKeys('evaluate', options, ['loss', 'batchSize']);
  const [model, head] = unpackTrainable('evaluate', modules);
  checkData('evaluate', model, head, data);
  const lossName = checkLoss('evaluate', options.loss ?? (data.classes ? 'crossEntropy' : 'mse'), data);
  const batchSize = checkInt('evaluate: batchSize', options.batchSize ?? 256, 1);
  let sum = 0;
  let weight = 0;
  let correct = 0;
  let total = 0;
  for (let start = 0; start < data.size; start += batchSize) {
    pollInterrupt();
    const { inputs, targets } = data.batch(start, Math.min(start + batchSize, data.size));
    const n = targets.shape[data.target === 'sequence' ? 1 : 0];
    const pred = predictions(model, head, inputs, data.target);
    sum += lossFrom(pred, targets, lossName, undefined).data[0] * n;
    weight += n;
    if (lossName === 'crossEntropy') {
      const C = pred.shape[1];
      for (let r = 0; r < pred.shape[0]; r++) {
        let best = 0;
        for (let c = 1; c < C; c++) if (pred.data[r * C + c] > pred.data[r * C + best]) best = c;
        if (best === targets.data[r]) correct++;
        total++;
      }
    }
  }
  const out: Evaluation = { loss: sum / weight };
  if (lossName === 'crossEntropy') out.accuracy = correct / total;
  return out;
}

/**
 * The head's outputs: [B, O] for 'last', [T·B, O] for 'sequence' (time-major rows); the model's
 * own output features when head is null. `inputs` are [T, B, I]. Recorded on `tape` when given.
 * For a bidirectional model, 'last' reads step T − 1 of both directions (as PyTorch's output[-1]).
 */
export function predictions(
  model: RecurrentModel,
  head: Linear | null,
  inputs: Tensor,
  target: 'last' | 'sequence',
  tape?: Tape,
  truncate = 0,
): Tensor {
  const out = model.forward(inputs, { tape, truncate }).output; // [T, B, D·H]
  const [T, B, F] = out.shape;
  const features = target === 'last' ? timeStep(out, T - 1, tape) : out.reshape([T * B, F]);
  return head ? head.forward(features, { tape }) : features;
}

function lossFrom(pred: Tensor, targets: Tensor, lossName: LossName, tape: Tape | undefined): Tensor {
  if (lossName === 'crossEntropy') return crossEntropyLoss(pred, targets.reshape([targets.size]), { tape });
  const t = targets.reshape(pred.shape);
  return lossName === 'mse' ? mseLoss(pred, t, { tape }) : bceWithLogitsLoss(pred, t, { tape });
}

/** A model or `[model, head]` as [model, head or null]; anything else is refused, naming what it got. */
export function unpackTrainable(what: string, modules: Trainable): [RecurrentModel, Linear | null] {
  if (modules instanceof RecurrentModel) return [modules, null];
  if (
    Array.isArray(modules) &&
    modules.length === 2 &&
    modules[0] instanceof RecurrentModel &&
    modules[1] instanceof Linear
  )
    return [modules[0], modules[1]];
  throw new LstmError(
    `${what}: expected a recurrent model or [model, head] with head a Linear, got ${describe(modules)}`,
  );
}

/**
 * train()'s arguments checked, and its defaults applied; what train() runs on. A host that shows
 * something before training (the notebook's live charts) calls it first, so a bad argument is
 * refused before anything appears.
 * @throws {LstmError} as train() does for its arguments.
 */
export function checkTrain(modules: Trainable, data: SequenceDataset, options: TrainOptions = {}) {
  checkKeys('train', options, TRAIN_KEYS);
  const [model, head] = unpackTrainable('train', modules);
  checkData('train', model, head, data);
  const epochs = checkInt('train: epochs', options.epochs ?? 10, 1);
  const batchSize = checkInt('train: batchSize', options.batchSize ?? 32, 1);
  const truncate = checkInt('train: truncate', options.truncate ?? 0, 0);
  const maxSteps = options.maxSteps === undefined ? Infinity : checkInt('train: maxSteps', options.maxSteps, 1);
  const lossName = checkLoss('train', options.loss ?? (data.classes ? 'crossEntropy' : 'mse'), data);
  if (options.clip !== undefined) checkNumber('train: clip', options.clip, 0);
  if (options.clipValue !== undefined) checkNumber('train: clipValue', options.clipValue, 0);
  if (options.validation !== undefined) checkData('train: validation', model, head, options.validation);
  const optimizer = options.optimizer ?? new Adam(1e-3);
  if (!optimizer || typeof optimizer.step !== 'function')
    throw new LstmError(`train: optimizer expected an optimizer such as new Adam(1e-3), got ${describe(optimizer)}`);
  return { model, head, epochs, batchSize, truncate, maxSteps, lossName, optimizer };
}

function checkData(what: string, model: RecurrentModel, head: Linear | null, data: SequenceDataset): void {
  if (!data || typeof data !== 'object' || typeof (data as SequenceDataset).batch !== 'function') {
    throw new LstmError(
      `${what}: expected a dataset (e.g. tasks.adding({ length: 50, count: 1000 })), got ${describe(data)}`,
    );
  }
  if (data.inputSize !== model.inputSize)
    throw new LstmError(
      `${what}: the model expects inputs of size ${model.inputSize}, the dataset "${data.name}" has ${data.inputSize}`,
    );
  if (model.batchFirst)
    throw new LstmError(`${what}: train feeds time-major batches; build the model without batchFirst`);
  // A stateful model would carry one batch's final state into the next, unrelated (shuffled,
  // differently sized) batch: refused rather than failing on the first short batch.
  if (model.stateful)
    throw new LstmError(
      `${what}: expected a model built with stateful: false (${what} runs independent batches), got a stateful one; for a stream, call trainStep on consecutive chunks and resetState() where a sequence starts`,
    );
  const features = model.hiddenSize * model.directions;
  if (head && head.inFeatures !== features)
    throw new LstmError(
      `${what}: the head expects ${head.inFeatures} features, the model gives ${features} (hidden ${model.hiddenSize} × ${model.directions} direction${model.directions > 1 ? 's' : ''})`,
    );
  const outSize = head ? head.outFeatures : features;
  const want = data.classes ?? data.targets.shape[data.targets.shape.length - 1];
  if (outSize !== want)
    throw new LstmError(
      `${what}: the ${head ? 'head' : 'model'} gives ${outSize} outputs per step, the dataset "${data.name}" needs ${want} (${data.classes ? `${data.classes} classes` : `targets of shape ${formatShape(data.targets.shape)}`})`,
    );
}

function checkLoss(what: string, name: unknown, data: SequenceDataset): LossName {
  if (name !== 'mse' && name !== 'crossEntropy' && name !== 'bce')
    throw new LstmError(`${what}: loss expected "mse", "crossEntropy" or "bce", got ${describe(name)}`);
  if (name === 'crossEntropy' && !data.classes)
    throw new LstmError(
      `${what}: loss "crossEntropy" needs class targets, but the dataset "${data.name}" has real-valued targets; use "mse" or "bce"`,
    );
  if (name !== 'crossEntropy' && data.classes)
    throw new LstmError(
      `${what}: loss "${name}" needs real-valued targets, but the dataset "${data.name}" has class indices; use "crossEntropy"`,
    );
  return name;
}

function wantsStop(r: unknown): boolean {
  return r === false || r === 'stop';
}
