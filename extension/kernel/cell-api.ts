/**
 * The module a cell gets from `import … from 'lstm-notebook'`: the whole core, the hand-over to
 * other engines (exportOnnx, and exportPyTorch writing its files), plus what only makes sense in
 * a notebook — display(), clearOutput(), plot.*, a train() that can draw its loss curve and the
 * gates of a probe batch live (`plot: true`, `plot: { gates: probe }`, train-plot.ts), and a
 * sweep() that shows its ranked table and box plot as it runs; the kernel can interrupt both
 * between steps.
 */
import * as core from '../../core/index';
import * as interop from '../../interop/index';
import type {
  EpochInfo,
  History,
  StepInfo,
  SweepOptions,
  SweepResults,
  SweepStepInfo,
  Trainable,
} from '../../core/index';
import { checkKeys, checkTrain, describe } from '../../core/host';
import type { Displays, DisplayHandle } from './display';
import { writeFolder } from './export-folder';
import type { Namespace } from './imports';
import type { ChartModule } from './chart-module';
import type { NotebookTrainOptions } from './train-options';
import { startTrainPlot } from './train-plot';

interface NotebookSweepOptions extends SweepOptions {
  /** Show the ranked table and the box plot of test losses, updated after each run. Default true. */
  plot?: boolean;
}

export interface CellApiDeps {
  displays: Displays;
  /** Throws the Interrupted error when the user has asked to stop the cell. */
  check: () => void;
  charts: ChartModule;
  /** Where relative paths of exports resolve from: the notebook's folder. */
  notebookDir: string;
  /** input(): asks the reader through the host (input.ts). */
  input: (prompt?: unknown, options?: unknown) => Promise<string | null>;
}

export function createCellApi({ displays, check, charts, notebookDir, input }: CellApiDeps): Namespace {
  const display = (value: unknown): DisplayHandle => displays.display(value);

  /** Jupyter's clear_output: `wait` keeps the outputs until the next one replaces them (no flicker in a loop). */
  const clearOutput = (options: { wait?: boolean } = {}): void => {
    if (options === null || typeof options !== 'object' || Array.isArray(options))
      throw new core.LstmError(`clearOutput: expected options like { wait: true }, got ${describe(options)}`);
    checkKeys('clearOutput', options, ['wait']);
    if (options.wait !== undefined && typeof options.wait !== 'boolean')
      throw new core.LstmError(`clearOutput: wait must be true or false, got ${describe(options.wait)}`);
    displays.clear(options.wait === true);
  };

  async function train(
    modules: Trainable,
    data: Parameters<typeof core.train>[1],
    options: NotebookTrainOptions = {},
  ): Promise<History> {
    const { plot, ...rest } = options ?? {};
    // The core's checks first: a refused argument shows no chart.
    checkTrain(modules, data, rest);
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

  /**
   * The core's sweep(), shown as it runs: the ranked table from the start (every variant, no runs
   * yet) and the box plot from the first run on, both replaced in place after each run.
   */
  async function sweep(options: NotebookSweepOptions): Promise<SweepResults> {
    const { plot: wantsPlot, ...rest } = options ?? ({} as NotebookSweepOptions);
    if (wantsPlot !== undefined && typeof wantsPlot !== 'boolean')
      throw new core.LstmError(`sweep: option plot must be true or false, got ${describe(wantsPlot)}`);
    const show = wantsPlot !== false;
    let table: DisplayHandle | null = null;
    let box: DisplayHandle | null = null;
    return core.sweep({
      ...rest,
      onStep: (info: SweepStepInfo) => {
        check();
        // Shown at the first step, once the options have passed the core's checks.
        if (show && !table) table = displays.display(info.results);
        return rest.onStep?.(info);
      },
      onRun: (run, results) => {
        check();
        if (table) displays.updateLazy(table.id, () => results);
        if (show) {
          if (!box) box = displays.display(charts.plot.box(results));
          else displays.updateLazy(box.id, () => charts.plot.box(results));
        }
        return rest.onRun?.(run, results);
      },
    });
  }

  /** A PyTorch project that trains the model as train() does (interop/pytorch.ts), written to `dir`. */
  function exportPyTorch(options: interop.ExportPyTorchOptions): { dir: string; files: string[] } {
    const files = interop.pytorchProject(options); // checks everything before a file is written
    return writeFolder('exportPyTorch', notebookDir, options?.dir, options?.overwrite, files);
  }

  const api: Namespace = {
    ...core,
    exportOnnx: interop.exportOnnx,
    exportPyTorch,
    train,
    sweep,
    display,
    clearOutput,
    input,
    plot: charts.plot,
    selectUnits: charts.selectUnits,
    findPattern: charts.findPattern,
  };
  return { ...api, default: api };
}
