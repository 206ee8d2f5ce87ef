/**
 * lstm-notebook: the whole public API of the core, the module notebook cells import.
 * Everything not exported here is internal.
 */
export { Tensor } from './tensor';
export type { Shape, NestedNumbers } from './tensor';
export { setDefaultDType, getDefaultDType } from './dtype';
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
export type { RecurrentSpec, RecurrentKind } from './recurrent-spec';
export { Linear, linear } from './linear';
export type { LinearOptions } from './linear';
export { Embedding } from './embedding';
export { weightedSum, addScalars, timeStep, add } from './ops';
export { gradCheck } from './gradcheck';
export type { GradCheckOptions, GradCheckReport, GradCheckEntry } from './gradcheck';
export { exportStateDict, importStateDict } from './statedict';
export type { Layout, StateDictJSON, ExportStateDictOptions, ImportStateDictOptions, StateDictModule } from './statedict';
