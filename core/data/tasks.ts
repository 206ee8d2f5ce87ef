/**
 * Seeded task generators, each returning a SequenceDataset whose meta records its definition
 * and the loss of a memoryless baseline. One file per task under tasks/.
 */
export { adding } from './tasks/adding';
export type { AddingOptions } from './tasks/adding';
export { temporalOrder, TEMPORAL_ORDER_SYMBOLS, TEMPORAL_ORDER_CLASSES } from './tasks/temporal-order';
export type { TemporalOrderOptions } from './tasks/temporal-order';
export {
  embeddedReber,
  reberString,
  embeddedReberString,
  isEmbeddedReber,
  isReber,
  REBER_SYMBOLS,
} from './tasks/reber';
export type { EmbeddedReberOptions } from './tasks/reber';
export { copyMemory } from './tasks/copy-memory';
export type { CopyMemoryOptions } from './tasks/copy-memory';
export { sineWaves, windows } from './tasks/sine';
export type { SineWavesOptions, WindowsOptions } from './tasks/sine';
export type { TaskOptions, RandomOptions } from './tasks/common';
