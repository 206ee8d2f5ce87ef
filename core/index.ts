/**
 * lstm-notebook: the whole public API of the core, the module notebook cells import.
 * Everything not exported here is internal.
 */
export { Tensor } from './tensor';
export type { Shape, NestedNumbers } from './tensor';
export { setDefaultDType, getDefaultDType } from './dtype';
export { setEngine, getEngine } from './kernels/engine';
export type { Engine } from './kernels/engine';
export type { DType } from './dtype';
export { LstmError } from './errors';
export { Rng, seed, globalRng } from './random';
export { Tape } from './tape';
export { parametersOf, zeroGrad, countParameters, namedGradients } from './module';
export type { Module } from './module';

export { LSTM, LSTM_VARIANTS } from './lstm';
export type { LstmOptions, LstmVariant } from './lstm';
export { GRU } from './gru';
export type { GruOptions } from './gru';
export { RNN } from './rnn';
export type { RnnOptions } from './rnn';
export { RecurrentModel } from './recurrent/model';
export type { RecurrentOptions, RecurrentState, ForwardOptions, ForwardResult } from './recurrent/model';
export type { Trace, LayerTrace, GateTrace, GradNorms } from './recurrent/trace';
export type { Intervention, InterventionOptions, InterventionMode, UnitsCarrier } from './recurrent/intervention';
export type { RecurrentSpec, RecurrentKind } from './recurrent-spec';
export { Linear, linear } from './linear';
export type { LinearOptions } from './linear';
export { Embedding } from './embedding';
export type { EmbeddingOptions } from './embedding';
export { weightedSum, addScalars, timeStep, add } from './ops';
export { gradCheck } from './gradcheck';
export type { GradCheckOptions, GradCheckReport, GradCheckEntry } from './gradcheck';
export { exportStateDict, importStateDict, saveSafetensors, loadSafetensors } from './statedict';
export type {
  SaveSafetensorsOptions,
  LoadSafetensorsOptions,
  Layout,
  StateDictJSON,
  ExportStateDictOptions,
  ImportStateDictOptions,
  StateDictModule,
} from './statedict';
export { mseLoss, crossEntropyLoss, bceWithLogitsLoss } from './loss';
export type { Reduction, LossOptions, CrossEntropyOptions, BceWithLogitsOptions, ClassTargets } from './loss';
export { Optimizer } from './optim/optimizer';
export type { ParamState } from './optim/optimizer';
export { SGD } from './optim/sgd';
export type { SgdOptions } from './optim/sgd';
export { Adam, AdamW } from './optim/adam';
export type { AdamOptions } from './optim/adam';
export { RMSprop } from './optim/rmsprop';
export type { RmspropOptions } from './optim/rmsprop';
export { Adagrad } from './optim/adagrad';
export type { AdagradOptions } from './optim/adagrad';
export { stepDecay, cosine, warmup } from './schedule';
export type { Schedule } from './schedule';
export { gradNorm, clipGradNorm, clipGradValue } from './clip';
export { train, trainStep, evaluate, predictions } from './train';
export type {
  TrainOptions,
  History,
  StepInfo,
  EpochInfo,
  Evaluation,
  LossName,
  StepSpec,
  Trainable,
  CallbackResult,
} from './train';
export { sweep } from './sweep';
export { SweepResults } from './sweep-results';
export type { SweepOptions, SweepTask, SweepStepInfo, VariantFactory } from './sweep';
export type { SweepRun, SweepVariantResult } from './sweep-results';
export { SequenceDataset } from './data/dataset';
export type { Batch, SequenceDatasetInit, TargetKind } from './data/dataset';
/**
 * Seeded task generators, each returning a SequenceDataset whose meta records its definition and
 * the loss of a memoryless baseline: adding, temporalOrder, embeddedReber, copyMemory, sineWaves,
 * and windows over a series of your own.
 * @example const data = tasks.adding({ length: 50, count: 1000, seed: 1 });
 */
export * as tasks from './data/tasks';
export { CharCorpus } from './data/corpus';
export type { CorpusDatasetOptions } from './data/corpus';
export { SHAKESPEARE, SHAKESPEARE_SOURCE, TINY_SHAKESPEARE, TINY_SHAKESPEARE_SOURCE } from './data/text';
export { SEATTLE_TEMP_MAX, SEATTLE_TEMP_MAX_SOURCE, SEATTLE_WEATHER_CSV } from './data/seattle';
export { parseCsv, csvSeries } from './data/csv';
export type { Csv, CsvOptions, CsvSeriesOptions } from './data/csv';
export { softmax, sampleLogits } from './data/sampling';
export { generate } from './data/generate';
export type { GenerateOptions } from './data/generate';
export type { SampleOptions } from './data/sampling';
