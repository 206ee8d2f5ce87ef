/**
 * A PyTorch project that trains a notebook's model the way train() does, for when an experiment
 * outgrows one machine: model.py (the same architecture, nn.LSTM / nn.GRU / nn.RNN and a head),
 * train.py (the same loss, optimizer, hyper-parameters, clipping and schedule; DistributedDataParallel
 * when started by torchrun, one process otherwise), weights.safetensors (the notebook's current
 * weights, under the names model.py's state_dict uses), the data as .npy, requirements.txt and a
 * README with the commands. Pure: this gives the files; the kernel's exportPyTorch writes them.
 *
 * Same numbers: with shuffling off both sides see the same batches in the same order, start from
 * the same weights and take the same steps, so the losses agree to float32 rounding. With
 * shuffling on, train.py draws its order from torch's generator (`--seed`), not ours.
 */
import {
  Adagrad,
  Adam,
  AdamW,
  RMSprop,
  GRU,
  LSTM,
  Linear,
  LstmError,
  RNN,
  SGD,
  saveSafetensors,
  type LossName,
  type Optimizer,
  type RecurrentModel,
  type Schedule,
  type SequenceDataset,
  type Tensor,
  type Trainable,
} from '../core/index';
import { checkInt, checkKeys, describe, unpackTrainable } from '../core/host';
import { checkHead } from './modules';
import { npyBytes } from './npy';
import { RECURRENT_PY } from './pytorch-recurrent';
import { MODEL_PY, README_MD, REQUIREMENTS_TXT, SAFETENSORS_LITE_PY, TRAIN_PY } from './pytorch-templates';

/** What exportPyTorch() takes besides where to write: the model, its data and train()'s options. */
export interface PyTorchProjectSpec {
  /** A recurrent model, or `[model, head]` (then `head` stays unset). */
  model: Trainable;
  /** A Linear head on the model's output. */
  head?: Linear;
  /** The training set, exported as data/inputs.npy and data/targets.npy. */
  data: SequenceDataset;
  /** train()'s optimizer (default Adam(1e-3)): SGD, Adam, AdamW, RMSprop or Adagrad. */
  optimizer?: Optimizer;
  /** train()'s loss (default: 'crossEntropy' for class targets, 'mse' otherwise). */
  loss?: LossName;
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Global batch size (default 32), split across processes under torchrun. */
  batchSize?: number;
  /** Clip the global gradient norm (as train()). */
  clip?: number;
  /** Clip every gradient entry (as train()). */
  clipValue?: number;
  /** train()'s schedule: its rate for every step of the planned run is tabulated in lr_schedule.npy. */
  schedule?: Schedule;
  /** Shuffle at every epoch (default true), with torch's generator seeded by `seed`. */
  shuffle?: boolean;
  /** Seed of train.py's shuffling and of torch's other random choices (default 0). */
  seed?: number;
}

/** exportPyTorch's options, as a cell passes them: the project's, plus where to write it. */
export interface ExportPyTorchOptions extends PyTorchProjectSpec {
  /** The folder to write into, relative to the notebook's folder or absolute. */
  dir: string;
  /** Write into a folder that is not empty (default false: refused). */
  overwrite?: boolean;
}

const SPEC_KEYS = [
  'model',
  'head',
  'data',
  'optimizer',
  'loss',
  'epochs',
  'batchSize',
  'clip',
  'clipValue',
  'schedule',
  'shuffle',
  'seed',
];

/**
 * The project's files, by relative path: text or bytes.
 * @throws {LstmError} for a stateful or batch-first model, an optimizer it cannot name, a head or
 * data that do not fit, or a bad option.
 */
export function pytorchProject(spec: PyTorchProjectSpec): Record<string, string | Uint8Array> {
  const what = 'exportPyTorch';
  if (typeof spec !== 'object' || spec === null)
    throw new LstmError(`${what}: expected { model, data, … }, got ${describe(spec)}`);
  // dir and overwrite are the kernel's (where exportPyTorch writes the files).
  checkKeys(what, spec, [...SPEC_KEYS, 'dir', 'overwrite']);
  const [model, pairedHead] = unpackTrainable(what, spec.model);
  const head = pairedHead ?? spec.head ?? null;
  if (spec.head !== undefined && !(spec.head instanceof Linear))
    throw new LstmError(`${what}: head expected a Linear, got ${describe(spec.head)}`);
  const data = spec.data;
  if (!data || typeof data !== 'object' || typeof (data as SequenceDataset).batch !== 'function')
    throw new LstmError(`${what}: data expected a SequenceDataset (tasks.*, CharCorpus…), got ${describe(data)}`);
  checkModel(what, model, head, data);
  const loss = spec.loss ?? (data.classes ? 'crossEntropy' : 'mse');
  if (!['mse', 'crossEntropy', 'bce'].includes(loss))
    throw new LstmError(`${what}: loss expected 'mse', 'crossEntropy' or 'bce', got ${describe(loss)}`);
  const epochs = checkInt(`${what}: epochs`, spec.epochs ?? 10, 1);
  const batchSize = checkInt(`${what}: batchSize`, spec.batchSize ?? 32, 1);
  const optimizer = spec.optimizer ?? new Adam(1e-3);
  const stepsPerEpoch = Math.ceil(data.size / batchSize);

  const config = {
    description: head ? `${model.toString()} and its head ${head.toString()}` : model.toString(),
    target: data.target,
    classes: data.classes ?? null,
    loss,
    epochs,
    batch_size: batchSize,
    shuffle: spec.shuffle ?? true,
    seed: spec.seed ?? 0,
    clip: spec.clip ?? null,
    clip_value: spec.clipValue ?? null,
    optimizer: optimizerConfig(what, optimizer),
    schedule: spec.schedule ? 'lr_schedule.npy' : null,
  };
  const rnn = moduleConstructor(model);
  const files: Record<string, string | Uint8Array> = {
    'model.py': MODEL_PY(
      rnn.code,
      head ? `nn.Linear(${head.inFeatures}, ${head.outFeatures}, bias=${head.bias ? 'True' : 'False'})` : null,
      config.description,
      rnn.own ? `from recurrent import ${model instanceof LSTM ? 'GreffLSTM' : 'ChoGRU'}\n` : '',
    ),
    'train.py': TRAIN_PY(JSON.stringify(config, null, 4)),
    'safetensors_lite.py': SAFETENSORS_LITE_PY,
    'requirements.txt': REQUIREMENTS_TXT,
    'README.md': README_MD(config.description, data.toString(), stepsPerEpoch * epochs),
    'weights.safetensors': saveSafetensors(weights(model, head)),
    'data/inputs.npy': npyBytes(data.inputs.data, data.inputs.shape, 'float32'),
    'data/targets.npy': npyBytes(data.targets.data, data.targets.shape, data.classes ? 'int64' : 'float32'),
  };
  if (rnn.own) files['recurrent.py'] = RECURRENT_PY;
  if (spec.schedule) {
    // The rate of every step of the planned run, as train() would set it: schedule(step, base).
    const base = optimizer.lr;
    const rates = Array.from({ length: stepsPerEpoch * epochs }, (_, step) => spec.schedule!(step, base));
    files['lr_schedule.npy'] = npyBytes(rates, [rates.length], 'float32');
  }
  return files;
}

/** The notebook's weights under model.py's state_dict names: rnn.* and head.*. */
function weights(model: RecurrentModel, head: Linear | null): Record<string, Tensor> {
  const named = (prefix: string, pairs: Array<[string, Tensor]>) =>
    pairs.map(([name, tensor]) => [`${prefix}${name}`, tensor.clone('float32')] as const);
  return Object.fromEntries([
    ...named('rnn.', model.namedParameters()),
    ...(head ? named('head.', head.namedParameters()) : []),
  ]);
}

function checkModel(what: string, model: RecurrentModel, head: Linear | null, data: SequenceDataset): void {
  if (model.stateful)
    throw new LstmError(
      `${what}: ${model.toString()} is stateful; train.py starts every batch from zeros, as train() does for a model that is not`,
    );
  if (model.batchFirst)
    throw new LstmError(`${what}: ${model.toString()} is batch-first; train() and train.py feed time-major input`);
  if (model.inputSize !== data.inputSize)
    throw new LstmError(
      `${what}: ${model.toString()} takes ${model.inputSize} features per step, the data has ${data.inputSize}`,
    );
  checkHead(what, model, head);
}

/**
 * The constructor of the same model: torch.nn's where it has one, else one of recurrent.py's
 * (GreffLSTM for the LSTM variants, ChoGRU for the reset-before GRU); `own` says which.
 */
function moduleConstructor(model: RecurrentModel): { code: string; own: boolean } {
  const py = (b: boolean) => (b ? 'True' : 'False');
  const common = `input_size=${model.inputSize}, hidden_size=${model.hiddenSize}, num_layers=${model.numLayers}, bias=${py(model.bias)}, dropout=${model.dropout}, bidirectional=${py(model.bidirectional)}`;
  if (model instanceof LSTM) {
    const f = model.flags;
    const plain =
      !f.peephole &&
      f.inputGate &&
      f.forgetGate &&
      f.outputGate &&
      !f.coupled &&
      f.inputActivation &&
      f.outputActivation &&
      !f.fullGateRecurrence;
    if (plain) return { code: `nn.LSTM(${common})`, own: false };
    const flags = `peephole=${py(f.peephole)}, input_gate=${py(f.inputGate)}, forget_gate=${py(f.forgetGate)}, output_gate=${py(f.outputGate)}, coupled=${py(f.coupled)}, input_activation=${py(f.inputActivation)}, output_activation=${py(f.outputActivation)}, full_gate_recurrence=${py(f.fullGateRecurrence)}`;
    return { code: `GreffLSTM(${common},\n                              ${flags})`, own: true };
  }
  if (model instanceof GRU)
    return model.resetAfter ? { code: `nn.GRU(${common})`, own: false } : { code: `ChoGRU(${common})`, own: true };
  if (model instanceof RNN) return { code: `nn.RNN(${common}, nonlinearity='${model.nonlinearity}')`, own: false };
  throw new LstmError(`exportPyTorch: expected an LSTM, GRU or RNN, got ${model.toString()}`);
}

/**
 * torch.optim's class for each of ours (AdamW before Adam: it is one), and its argument names →
 * our field names. Every one of them takes `lr`, `weight_decay` and `maximize` as well.
 */
const TORCH_OPTIMIZERS: [new (...args: never[]) => Optimizer, string, Record<string, string>][] = [
  [AdamW, 'AdamW', { betas: 'betas', eps: 'eps', amsgrad: 'amsgrad' }],
  [Adam, 'Adam', { betas: 'betas', eps: 'eps', amsgrad: 'amsgrad' }],
  [SGD, 'SGD', { momentum: 'momentum', dampening: 'dampening', nesterov: 'nesterov' }],
  [RMSprop, 'RMSprop', { alpha: 'alpha', eps: 'eps', momentum: 'momentum', centered: 'centered' }],
  [Adagrad, 'Adagrad', { lr_decay: 'lrDecay', initial_accumulator_value: 'initialAccumulatorValue', eps: 'eps' }],
];

/** torch.optim's constructor name and arguments for the same optimizer. */
function optimizerConfig(what: string, optimizer: Optimizer): Record<string, unknown> {
  const found = TORCH_OPTIMIZERS.find(([type]) => optimizer instanceof type);
  if (!found)
    throw new LstmError(
      `${what}: optimizer expected SGD, Adam, AdamW, RMSprop or Adagrad (one of the core's), got ${describe(optimizer)}`,
    );
  const [, name, fields] = found;
  const ours = optimizer as unknown as Record<string, unknown>;
  const args = Object.fromEntries(Object.entries(fields).map(([torch, field]) => [torch, ours[field]]));
  return { name, lr: optimizer.lr, ...args, weight_decay: ours.weightDecay, maximize: ours.maximize };
}
