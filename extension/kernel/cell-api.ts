/**
 * The module a cell gets from `import … from 'lstm-notebook'`: the whole core, the hand-over to
 * other engines (exportOnnx, and exportPyTorch writing its files), plus what only makes sense in
 * a notebook — display(), plot.*, and a train() that can draw its loss curve and the gates of a
 * probe batch live (`plot: true`, `plot: { gates: probe }`, train-plot.ts) and that the kernel
 * can interrupt between steps.
 */
import * as core from '../../core/index';
import * as interop from '../../interop/index';
import type { EpochInfo, History, StepInfo, Trainable } from '../../core/index';
import type { Displays, DisplayHandle } from './display';
import { writeFolder } from './export-folder';
import type { Namespace } from './imports';
import type { PausedChartKind } from '../../protocol/kernel';
import type { ChartSupport } from './value-bundle';
import type { NotebookTrainOptions } from './train-options';
import { startTrainPlot, type TrainPlotCharts } from './train-plot';

/** What the charts module gives the kernel (see plot/index.ts). */
export interface ChartModule extends ChartSupport, TrainPlotCharts {
  plot: object;
  /** The gates or states of a model, trace or forward result, built synchronously for a paused debugger. */
  pausedChart(value: unknown, kind: PausedChartKind): { mime: string; payload: unknown; summary: string };
}

export interface CellApiDeps {
  displays: Displays;
  /** Throws the Interrupted error when the user has asked to stop the cell. */
  check: () => void;
  charts: ChartModule | null;
  /** Where relative paths of exports resolve from: the notebook's folder. */
  notebookDir: string;
}

export function createCellApi({ displays, check, charts, notebookDir }: CellApiDeps): Namespace {
  const display = (value: unknown): DisplayHandle => displays.display(value);

  async function train(
    modules: Trainable,
    data: Parameters<typeof core.train>[1],
    options: NotebookTrainOptions = {},
  ): Promise<History> {
    const { plot, ...rest } = options ?? {};
    const live = startTrainPlot(plot, modules, displays, charts);
    const history = await core.train(modules, data, {
      ...rest,
      onStep: (info: StepInfo) => {
        check();
        live?.step(info.step, info.loss);
        return rest.onStep?.(info);
      },
      onEpoch: (info: EpochInfo) => {
        check();
        if (info.validationLoss !== undefined) live?.validation(info.step, info.validationLoss);
        return rest.onEpoch?.(info);
      },
    });
    live?.end(history.steps.at(-1)?.step ?? 0);
    return history;
  }

  /** A PyTorch project that trains the model as train() does (interop/pytorch.ts), written to `dir`. */
  function exportPyTorch(options: interop.ExportPyTorchOptions): { dir: string; files: string[] } {
    const files = interop.pytorchProject(options); // checks everything before a file is written
    return writeFolder('exportPyTorch', notebookDir, options?.dir, options?.overwrite, files);
  }

  const api: Namespace = { ...core, exportOnnx: interop.exportOnnx, exportPyTorch, train, display };
  if (charts) api.plot = charts.plot;
  return { ...api, default: api };
}
