/**
 * What the exporters check alike: a head must read what the model gives at each step, D·H
 * features (D = 2 when bidirectional).
 */
import { LstmError, type Linear, type RecurrentModel } from '../core/index';

export function checkHead(what: string, model: RecurrentModel, head: Linear | null): void {
  // An intervention lives in our loops, not in the weights: the exported model would compute
  // something else than the notebook's.
  if (model.interventions.length)
    throw new LstmError(
      `${what}: ${model.toString()} has active interventions (${model.interventions.join('; ')}) that the exported model cannot carry; remove() them first (model.removeInterventions())`,
    );
  const features = model.hiddenSize * (model.bidirectional ? 2 : 1);
  if (head && head.inFeatures !== features)
    throw new LstmError(
      `${what}: the head takes ${head.inFeatures} features, but ${model.toString()} gives ${features} per step`,
    );
}
