/**
 * What the exporters check alike: a head must read what the model gives at each step, D·H
 * features (D = 2 when bidirectional).
 */
import { LstmError, type Linear, type RecurrentModel } from '../core/index';

export function checkHead(what: string, model: RecurrentModel, head: Linear | null): void {
  const features = model.hiddenSize * (model.bidirectional ? 2 : 1);
  if (head && head.inFeatures !== features)
    throw new LstmError(
      `${what}: the head takes ${head.inFeatures} features, but ${model.toString()} gives ${features} per step`,
    );
}
