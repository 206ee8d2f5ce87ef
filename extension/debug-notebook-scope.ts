/**
 * The Notebook scope of a paused cell. The cells' top-level names are the kernel worker's
 * globals, so js-debug lists them in its Global scope among ~150 of Node's. As a Python debugger
 * does for Jupyter, that scope is shown as "Notebook": the notebook's variables, then one
 * "Node.js globals" group holding the rest (what the kernel's global object had before any cell
 * ran, its symbols and its prototype). The group is the same js-debug scope under a reference
 * offset by GROUPED_GLOBALS; requests for it go on under the real reference and their answers
 * are filtered. No vscode here: a debug adapter tracker (debug-cell.ts) feeds it DAP messages,
 * which it rewrites in place.
 */

/** The group's reference: the Global scope's plus this (js-debug numbers its references from 1 up). */
export const GROUPED_GLOBALS = 2 ** 30;

export interface DapMessage {
  type: string;
  seq?: number;
  request_seq?: number;
  command?: string;
  event?: string;
  arguments?: unknown;
  body?: unknown;
}

interface DapVariable {
  name: string;
  value: string;
  variablesReference: number;
  presentationHint?: { kind?: string };
}

/**
 * A rewriter for one debug session: `request` for what VS Code sends, `response` for what
 * js-debug answers. `kernelGlobals` gives the kernel's own names (undefined: leave answers alone).
 */
export function notebookScope(kernelGlobals: () => ReadonlySet<string> | undefined): {
  request(message: DapMessage): void;
  response(message: DapMessage): void;
} {
  const globalScopes = new Set<number>();
  /** Pending `variables` requests for a Global scope, by seq: its real reference, and whether for the group. */
  const pending = new Map<number, { reference: number; grouped: boolean }>();
  return {
    request(message) {
      const args = message.arguments as { variablesReference?: number } | undefined;
      const reference = args?.variablesReference;
      if (message.type !== 'request' || message.seq === undefined || reference === undefined) return;
      const grouped = reference >= GROUPED_GLOBALS;
      const real = grouped ? reference - GROUPED_GLOBALS : reference;
      args!.variablesReference = real;
      if (message.command === 'variables' && globalScopes.has(real))
        pending.set(message.seq, { reference: real, grouped });
    },
    response(message) {
      if (message.type !== 'response') return;
      if (message.command === 'scopes') {
        const found = (message.body as { scopes?: { name: string; variablesReference: number }[] } | undefined)?.scopes;
        for (const scope of found ?? [])
          if (scope.name === 'Global') {
            scope.name = 'Notebook';
            globalScopes.add(scope.variablesReference);
          }
        return;
      }
      const request = message.request_seq === undefined ? undefined : pending.get(message.request_seq);
      if (!request) return;
      pending.delete(message.request_seq!);
      const body = message.body as { variables?: DapVariable[] } | undefined;
      const kernel = kernelGlobals();
      if (!body?.variables || !kernel) return;
      // The global object's symbols and prototype are not the notebook's either.
      const isKernelOwn = (v: DapVariable) =>
        kernel.has(v.name) || v.name.startsWith('Symbol(') || v.name === '[[Prototype]]';
      const kernelOwn = body.variables.filter(isKernelOwn);
      if (request.grouped) {
        body.variables = kernelOwn;
        return;
      }
      body.variables = [
        ...body.variables.filter((v) => !isKernelOwn(v)),
        {
          name: 'Node.js globals',
          value: `${kernelOwn.length} names`,
          variablesReference: GROUPED_GLOBALS + request.reference,
          presentationHint: { kind: 'virtual' },
        },
      ];
    },
  };
}
