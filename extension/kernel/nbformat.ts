/**
 * Reading and writing Jupyter notebooks (nbformat 4) for the headless runner: validation with
 * errors that say what was expected, and kernel outputs as nbformat outputs (stream,
 * display_data, execute_result, error). Text is stored as lists of lines, as Jupyter does.
 */
import { isSafeNumber, LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import type { CellError, MimeBundle } from '../../protocol/kernel';
import type { CellOutput } from './session';

/** The kernelspec name of our notebooks (the controller prefers them). */
const KERNELSPEC = 'lstm-notebook';

/** Set by the build (esbuild's define): the TypeScript the cells' language service runs. */
declare const __TYPESCRIPT_VERSION__: string | undefined;

/**
 * The notebook's language, as the Jupyter kernel's kernel_info reports it and as Jupyter clients
 * (nbclient, JupyterLab) write it into metadata.language_info; the runner writes the same, so a
 * notebook saved by either is the same.
 */
export const LANGUAGE_INFO = {
  name: 'typescript',
  version: typeof __TYPESCRIPT_VERSION__ === 'string' ? __TYPESCRIPT_VERSION__ : 'unknown',
  mimetype: 'text/typescript',
  file_extension: '.ts',
  pygments_lexer: 'typescript',
  codemirror_mode: { name: 'javascript', typescript: true },
  nbconvert_exporter: 'script',
} as const;

export interface NotebookJson {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: CellJson[];
}

export interface CellJson {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: OutputJson[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export type OutputJson =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string[] }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
      output_type: 'execute_result';
      execution_count: number;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

/** Who reads the notebook, as its errors say: "… is not a notebook this runner can execute". */
export type NotebookReader = 'this runner can execute' | 'this exporter reads';

export class NotebookFormatError extends Error {
  constructor(file: string, problem: string, reader: NotebookReader = 'this runner can execute') {
    super(`${file} is not a notebook ${reader}: ${problem}`);
    this.name = 'NotebookFormatError';
  }
}

/**
 * Numbers as JSON.parse reads them, except integers JS cannot hold exactly (beyond 2⁵³), which
 * stay as their text (LosslessNumber) so that metadata the runner does not own comes back
 * exactly as it was.
 */
function parseNumber(text: string): number | LosslessNumber {
  return isSafeNumber(text) ? Number(text) : new LosslessNumber(text);
}

export function parseNotebook(
  text: string,
  file: string,
  reader: NotebookReader = 'this runner can execute',
): NotebookJson {
  const fail = (problem: string): NotebookFormatError => new NotebookFormatError(file, problem, reader);
  let json: unknown;
  try {
    JSON.parse(text); // for its error messages
    json = parseLossless(text, undefined, parseNumber);
  } catch (error) {
    throw fail(`expected JSON, got a parse error (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw fail(`expected a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`);
  const nb = json as Partial<NotebookJson>;
  if (nb.nbformat !== 4) throw fail(`expected "nbformat": 4, got ${JSON.stringify(nb.nbformat)}`);
  if (!Array.isArray(nb.cells))
    throw fail(`expected "cells" to be a list, got ${nb.cells === undefined ? 'nothing' : typeof nb.cells}`);
  nb.cells.forEach((cell, index) => {
    const where = `cell ${index + 1}`;
    if (typeof cell !== 'object' || cell === null)
      throw fail(`${where}: expected an object, got ${JSON.stringify(cell)}`);
    if (!['code', 'markdown', 'raw'].includes(cell.cell_type))
      throw fail(`${where}: expected cell_type "code", "markdown" or "raw", got ${JSON.stringify(cell.cell_type)}`);
    if (
      typeof cell.source !== 'string' &&
      !(Array.isArray(cell.source) && cell.source.every((s) => typeof s === 'string'))
    ) {
      throw fail(`${where}: expected source to be a string or a list of strings`);
    }
  });
  // Jupyter's key order, so a re-run notebook diffs cleanly.
  return {
    cells: nb.cells,
    metadata: nb.metadata ?? {},
    nbformat: 4,
    nbformat_minor: nb.nbformat_minor ?? 5,
  } as NotebookJson;
}

/**
 * What Jupyter clients write when they save a notebook they ran, written by the runner too: the
 * language_info above, sources split into lines, and (nbformat 4.5 requires them) an id for
 * every cell without one —
 * `cell-<n>` by position, stable from then on because an existing id is never changed.
 */
export function withJupyterMetadata(nb: NotebookJson): NotebookJson {
  nb.metadata.language_info = { ...LANGUAGE_INFO };
  // Sources as lists of lines, as nbformat writes every cell's.
  for (const cell of nb.cells) cell.source = lines(sourceOf(cell));
  if (nb.nbformat_minor >= 5) {
    const taken = new Set(nb.cells.map((cell) => cell.id).filter((id) => typeof id === 'string'));
    nb.cells.forEach((cell, index) => {
      if (typeof cell.id === 'string') return;
      let id = `cell-${index + 1}`;
      for (let n = 2; taken.has(id); n++) id = `cell-${index + 1}-${n}`;
      taken.add(id);
      cell.id = id;
    });
  }
  return nb;
}

/** A deep copy that keeps the exact numbers (structuredClone would turn them into plain objects). */
export function cloneNotebook(nb: NotebookJson): NotebookJson {
  return parseLossless(stringifyLossless(nb)!, undefined, parseNumber) as NotebookJson;
}

/** The notebook as the runner writes it: JSON with one-space indents, numbers as they were read. */
export function serializeNotebook(nb: NotebookJson): string {
  return `${stringifyLossless(nb, undefined, 1)}\n`;
}

/**
 * Why this notebook belongs to another kernel, or null when it may run here: its kernelspec
 * names another kernel, or its language_info another language. A notebook with neither runs.
 */
export function foreignKernel(nb: NotebookJson): string | null {
  const spec = nb.metadata.kernelspec as { name?: unknown } | undefined;
  const language = (nb.metadata.language_info as { name?: unknown } | undefined)?.name;
  if (spec && typeof spec === 'object' && spec.name !== undefined && spec.name !== KERNELSPEC)
    return `its kernelspec is ${JSON.stringify(spec.name)}`;
  if (typeof language === 'string' && language.toLowerCase() !== 'typescript')
    return `its language is ${JSON.stringify(language)}`;
  return null;
}

export function sourceOf(cell: CellJson): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** "a\nb\n" → ["a\n", "b\n"], the way Jupyter writes multi-line strings. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((line) => line.length > 0);
}

function data(bundle: MimeBundle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(bundle)) out[mime] = typeof value === 'string' ? lines(value) : value;
  return out;
}

/**
 * Collects one cell's outputs as nbformat: streams merged, display updates applied in place,
 * clearOutput() applied — at once, or with `wait` just before the next output that is not an
 * update (as JupyterLab does). A cleared display's later updates change nothing that is kept.
 */
export class OutputCollector {
  readonly outputs: OutputJson[] = [];
  private readonly displays = new Map<string, OutputJson & { output_type: 'display_data' }>();
  private clearBeforeNext = false;

  constructor(private readonly executionCount: number) {}

  add(output: CellOutput): void {
    if (output.type === 'clear') {
      if (output.wait) this.clearBeforeNext = true;
      else this.clear();
      return;
    }
    const existing = output.type === 'display' && output.update ? this.displays.get(output.displayId) : undefined;
    if (this.clearBeforeNext && !existing) this.clear();
    switch (output.type) {
      case 'stream': {
        const last = this.outputs.at(-1);
        if (last?.output_type === 'stream' && last.name === output.name)
          last.text = lines(last.text.join('') + output.text);
        else this.outputs.push({ output_type: 'stream', name: output.name, text: lines(output.text) });
        break;
      }
      case 'display': {
        if (existing) existing.data = data(output.bundle);
        else {
          const created = { output_type: 'display_data' as const, data: data(output.bundle), metadata: {} };
          this.displays.set(output.displayId, created);
          this.outputs.push(created);
        }
        break;
      }
      case 'result':
        this.outputs.push({
          output_type: 'execute_result',
          execution_count: this.executionCount,
          data: data(output.bundle),
          metadata: {},
        });
        break;
      case 'error':
        this.outputs.push(errorOutput(output.error));
        break;
      default: {
        const unknown: never = output;
        throw new Error(`unknown output ${JSON.stringify(unknown)}`);
      }
    }
  }

  private clear(): void {
    this.clearBeforeNext = false;
    this.outputs.length = 0;
  }
}

export function errorOutput(error: CellError): OutputJson {
  return { output_type: 'error', ename: error.name, evalue: error.message, traceback: error.stack.split('\n') };
}
