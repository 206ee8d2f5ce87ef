/**
 * Hand-over to other engines, for cells (`import { exportOnnx } from 'lstm-notebook'`): a model as
 * an ONNX graph for inference engines. Pure: functions return bytes, cells write them.
 */
export { exportOnnx } from './onnx';
export type { ExportOnnxOptions } from './onnx';
export { pytorchProject } from './pytorch';
export type { ExportPyTorchOptions, PyTorchProjectSpec } from './pytorch';
