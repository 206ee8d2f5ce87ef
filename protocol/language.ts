/**
 * Messages between the extension host (extension/language-client.ts) and the cells' language
 * worker (extension/language/worker.ts), declared once. Every request carries an id and gets
 * exactly one response with that id: its result, or an error saying what was wrong. The worker
 * checks what it receives with validateLanguageRequest: a message it does not understand is an
 * error reply, never a crash.
 *
 * Positions and ranges are in the cell's own lines (0-based), as VS Code counts them. The
 * service (extension/language/service.ts) answers in these types too: they are declared here
 * only, and imported from here.
 */

/** Given to the worker at start (worker_threads workerData). */
export interface LanguageWorkerConfig {
  /** The folder of TypeScript's lib files and Node's types copied by the build (dist/types). */
  typesDir: string;
  /**
   * Requests the editor no longer wants (see markCancelled): shared memory, because a message
   * would wait in the worker's queue behind the very work it cancels.
   */
  cancelled?: SharedArrayBuffer;
}

/** Slots of the cancellation ring: more than the requests ever in flight at once. */
const CANCEL_SLOTS = 1024;

/** A ring of cancelled request ids shared by the client and the worker (Int32 slots, id mod CANCEL_SLOTS). */
export function cancellationRing(): SharedArrayBuffer {
  return new SharedArrayBuffer(CANCEL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/** The client marks request `id` cancelled: the worker skips it if it has not begun, and TypeScript stops at its next check. */
export function markCancelled(ring: SharedArrayBuffer, id: number): void {
  Atomics.store(new Int32Array(ring), id % CANCEL_SLOTS, id);
}

export function isCancelled(ring: SharedArrayBuffer | undefined, id: number): boolean {
  return ring !== undefined && Atomics.load(new Int32Array(ring), id % CANCEL_SLOTS) === id;
}

/** The error reply of a request that was cancelled (the client has stopped waiting for it). */
export const CANCELLED = 'cancelled';

/** The virtual folder the worker serves its declarations under (definitions into them name files here). */
export const TYPES_ROOT = '/__lstm_notebook__';

/**
 * What the extension sends the TypeScript server plugin (extension/language/tsserver-plugin.ts)
 * through the built-in TypeScript extension's `configurePlugin`: the paths (`Uri.path`) of the
 * notebooks whose cells our service answers for, where the built-in server stays quiet.
 */
export interface TsserverPluginConfiguration {
  notebooks: string[];
}

export interface CellPosition {
  line: number;
  character: number;
}

export interface CellRange {
  start: CellPosition;
  end: CellPosition;
}

/** A code cell as the service sees it. */
export interface NotebookCell {
  /** Stable for the cell's life: its URI. */
  id: string;
  languageId: string;
  text: string;
}

export interface CompletionItem {
  name: string;
  kind: string;
  kindModifiers: string;
  sortText: string;
  insertText?: string;
  /** The cell text the item replaces, when not just the word at the cursor. */
  replace?: CellRange;
}

export interface CompletionDetails {
  /** The declaration as TypeScript displays it: `(method) LSTM.forward(x: …): …`. */
  detail: string;
  documentation: string;
}

export interface Hover {
  /** The type, as TypeScript displays it: `class LSTM`, `const model: LSTM`. */
  signature: string;
  /** The JSDoc text, then its tags (`@example …`). */
  documentation: string;
  range: CellRange | undefined;
}

export interface SignatureHelp {
  signatures: { label: string; documentation: string; parameters: { label: string; documentation: string }[] }[];
  activeSignature: number;
  activeParameter: number;
}

/** A definition in a cell, or in a declaration file the service serves (the core's, Node's, a package's). */
export type Definition = { cellId: string; range: CellRange } | { fileName: string; range: CellRange };

export interface CellDiagnostic {
  code: number;
  category: 'error' | 'warning' | 'suggestion' | 'message';
  message: string;
  range: CellRange;
}

interface At {
  notebook: string;
  cellId: string;
  position: CellPosition;
}

/** Each method's parameters and result. */
export interface LanguageMethods {
  /** Every code cell of the notebook in document order (the worker creates the notebook's service on first use). */
  update: { params: { notebook: string; notebookDir: string; cells: NotebookCell[] }; result: null };
  /** The notebook closed: its service is dropped. */
  close: { params: { notebook: string }; result: null };
  completions: { params: At; result: CompletionItem[] };
  completionDetails: { params: At & { name: string }; result: CompletionDetails | null };
  hover: { params: At; result: Hover | null };
  signatureHelp: { params: At; result: SignatureHelp | null };
  definition: { params: At; result: Definition[] };
  /** Every cell's diagnostics: [cellId, diagnostics] pairs, cells without any included. */
  diagnostics: { params: { notebook: string }; result: [string, CellDiagnostic[]][] };
  /**
   * One cell's diagnostics ([] for a cell the notebook does not have). The extension asks cell by
   * cell, so a completion request waits for one cell's check, not the whole notebook's.
   */
  cellDiagnostics: { params: { notebook: string; cellId: string }; result: CellDiagnostic[] };
  /** The text of a declaration file the worker serves (a definition's fileName). */
  readFile: { params: { fileName: string }; result: string | null };
}

export type LanguageMethod = keyof LanguageMethods;

/** Host → worker. */
export type LanguageRequest = {
  [M in LanguageMethod]: { id: number; method: M; params: LanguageMethods[M]['params'] };
}[LanguageMethod];

/** Worker → host: one per request. */
export type LanguageResponse =
  | { id: number; ok: true; result: LanguageMethods[LanguageMethod]['result'] }
  | { id: number; ok: false; error: string };

type Check = (params: Record<string, unknown>) => string | undefined;

const isPosition = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  Number.isInteger((value as CellPosition).line) &&
  Number.isInteger((value as CellPosition).character);

const needs =
  (fields: Record<string, (value: unknown) => boolean>, what: Record<string, string>): Check =>
  (params) => {
    for (const [name, ok] of Object.entries(fields)) {
      if (!ok(params[name])) return `params.${name} must be ${what[name]}, got ${describe(params[name])}`;
    }
    return undefined;
  };

const isString = (value: unknown) => typeof value === 'string';
const isCells = (value: unknown) =>
  Array.isArray(value) &&
  value.every(
    (cell) =>
      typeof cell === 'object' &&
      cell !== null &&
      isString((cell as NotebookCell).id) &&
      isString((cell as NotebookCell).languageId) &&
      isString((cell as NotebookCell).text),
  );
const AT = { notebook: isString, cellId: isString, position: isPosition };
const AT_WHAT = {
  notebook: 'a string',
  cellId: 'a string',
  position: '{ line, character } integers',
  name: 'a string',
};

const CHECKS: Record<LanguageMethod, Check> = {
  update: needs(
    { notebook: isString, notebookDir: isString, cells: isCells },
    { notebook: 'a string', notebookDir: 'a string', cells: 'an array of { id, languageId, text } strings' },
  ),
  close: needs({ notebook: isString }, AT_WHAT),
  completions: needs(AT, AT_WHAT),
  completionDetails: needs({ ...AT, name: isString }, AT_WHAT),
  hover: needs(AT, AT_WHAT),
  signatureHelp: needs(AT, AT_WHAT),
  definition: needs(AT, AT_WHAT),
  diagnostics: needs({ notebook: isString }, AT_WHAT),
  cellDiagnostics: needs({ notebook: isString, cellId: isString }, AT_WHAT),
  readFile: needs({ fileName: isString }, { fileName: 'a string' }),
};

/** The request in `value`, or why it is not one (with its id when it has one, to reply to). */
export function validateLanguageRequest(
  value: unknown,
): { request: LanguageRequest } | { id: number | undefined; error: string } {
  if (typeof value !== 'object' || value === null)
    return { id: undefined, error: `expected a request object, got ${describe(value)}` };
  const { id, method, params } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isInteger(id))
    return { id: undefined, error: `expected an integer id, got ${describe(id)}` };
  if (typeof method !== 'string' || !Object.hasOwn(CHECKS, method)) {
    return { id, error: `unknown method ${describe(method)}; expected one of ${Object.keys(CHECKS).join(', ')}` };
  }
  if (typeof params !== 'object' || params === null)
    return { id, error: `${method}: expected params object, got ${describe(params)}` };
  const problem = CHECKS[method as LanguageMethod](params as Record<string, unknown>);
  if (problem) return { id, error: `${method}: ${problem}` };
  return { request: value as LanguageRequest };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
