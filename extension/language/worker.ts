/**
 * The cells' language worker (worker_threads entry, bundled as dist/language.js): one
 * NotebookLanguageService per open notebook, answering protocol/language.ts requests from the
 * extension host. TypeScript's checker is slow on its first answer (about a second), which is
 * why it lives here and not on the extension host's thread.
 *
 * Every request gets one response: a message that is not a valid request, and an exception
 * from TypeScript, become an error reply naming what went wrong; the worker stays up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  CANCELLED,
  isCancelled,
  validateLanguageRequest,
  type LanguageMethods,
  type LanguageRequest,
  type LanguageResponse,
  type LanguageWorkerConfig,
} from '../../protocol/language';
import { NotebookLanguageService } from './service';
import { bundledTypeSource, type TypeSource } from './type-source';

const config = (workerData ?? {}) as Partial<LanguageWorkerConfig>;
if (typeof config.typesDir !== 'string') {
  throw new Error(
    `the language worker needs workerData.typesDir (the build's dist/types), got ${typeof config.typesDir}`,
  );
}
// One type source for every notebook: its cache holds the libs' and Node's texts once.
const types: TypeSource = bundledTypeSource(config.typesDir);
/** The request being answered: TypeScript asks whether it was cancelled while it works. */
let current = -1;
const currentCancelled = () => isCancelled(config.cancelled, current);
const services = new Map<string, NotebookLanguageService>();

function serviceOf(notebook: string): NotebookLanguageService {
  const service = services.get(notebook);
  if (!service) throw new Error(`no notebook ${notebook}: send its cells with update first`);
  return service;
}

function handle(request: LanguageRequest): LanguageMethods[LanguageRequest['method']]['result'] {
  switch (request.method) {
    case 'update': {
      const { notebook, notebookDir, cells } = request.params;
      let service = services.get(notebook);
      if (!service) {
        service = new NotebookLanguageService({ notebookDir, types, isCancelled: currentCancelled });
        services.set(notebook, service);
      }
      service.update(cells);
      return null;
    }
    case 'close':
      services.get(request.params.notebook)?.dispose();
      services.delete(request.params.notebook);
      return null;
    case 'completions': {
      const { notebook, cellId, position } = request.params;
      return serviceOf(notebook).completions(cellId, position);
    }
    case 'completionDetails': {
      const { notebook, cellId, position, name } = request.params;
      return serviceOf(notebook).completionDetails(cellId, position, name) ?? null;
    }
    case 'hover': {
      const { notebook, cellId, position } = request.params;
      return serviceOf(notebook).hover(cellId, position) ?? null;
    }
    case 'signatureHelp': {
      const { notebook, cellId, position } = request.params;
      return serviceOf(notebook).signatureHelp(cellId, position) ?? null;
    }
    case 'definition': {
      const { notebook, cellId, position } = request.params;
      return serviceOf(notebook).definition(cellId, position);
    }
    case 'diagnostics':
      return [...serviceOf(request.params.notebook).diagnostics()];
    case 'cellDiagnostics':
      return serviceOf(request.params.notebook).cellDiagnostics(request.params.cellId);
    case 'readFile': {
      // Only the declarations served from the types root: this is no general file reader.
      const { fileName } = request.params;
      return fileName.startsWith(types.root + '/') ? (types.readFile(fileName) ?? null) : null;
    }
    default: {
      const unknown: never = request;
      throw new Error(`unhandled request ${JSON.stringify(unknown)}`);
    }
  }
}

const port = parentPort;
if (!port) throw new Error('extension/language/worker.ts runs as a worker thread (worker_threads), not as a script');
port.on('message', (message: unknown) => {
  const checked = validateLanguageRequest(message);
  let response: LanguageResponse;
  if ('error' in checked) {
    response = { id: checked.id ?? -1, ok: false, error: checked.error };
  } else if (isCancelled(config.cancelled, checked.request.id)) {
    // Cancelled while it waited in the queue: the editor no longer wants it.
    response = { id: checked.request.id, ok: false, error: CANCELLED };
  } else {
    current = checked.request.id;
    try {
      response = { id: checked.request.id, ok: true, result: handle(checked.request) };
    } catch (error) {
      // Cancelled midway: TypeScript threw its OperationCanceledException at a check.
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const failed = `${checked.request.method} failed: ${text}`;
      response = { id: checked.request.id, ok: false, error: currentCancelled() ? CANCELLED : failed };
    } finally {
      current = -1;
    }
  }
  port.postMessage(response);
});
