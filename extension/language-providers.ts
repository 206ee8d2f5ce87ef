/**
 * VS Code's language features for the TypeScript cells of LSTM notebooks, answered by the
 * cells' language worker: completions (details and JSDoc resolved per item; the magics at a
 * line's start from protocol/magics.ts), hover, signature
 * help, go to definition (into earlier cells, into packages' .d.ts files on disk, and into the
 * core's and Node's declarations through a read-only `lstm-notebook-types:` document).
 * Diagnostics are language-notebooks.ts's. Each provider answers nothing for a cell that is not
 * served (another kernel's notebook, the setting off, an untrusted workspace) and turns any
 * failure into no answer: the editor must never see an exception from here.
 */
import * as vscode from 'vscode';
import { TYPES_ROOT, type CellPosition, type CompletionItem } from '../protocol/language';
import { magicCompletionsAt } from '../protocol/magics';
import { CancelledError, type LanguageClient } from './language/client';
import { toRange, type LanguageNotebooks } from './language-notebooks';

const SELECTOR: vscode.DocumentSelector = { notebookType: 'jupyter-notebook', language: 'typescript' };
/** Declarations the worker serves (the core's, Node's, TypeScript's libs) open under this scheme, read-only. */
const TYPES_SCHEME = 'lstm-notebook-types';

/** TypeScript's ScriptElementKind → VS Code's kind (the icon in the suggest widget). */
const KINDS: Record<string, vscode.CompletionItemKind> = {
  method: vscode.CompletionItemKind.Method,
  property: vscode.CompletionItemKind.Property,
  getter: vscode.CompletionItemKind.Property,
  setter: vscode.CompletionItemKind.Property,
  function: vscode.CompletionItemKind.Function,
  'local function': vscode.CompletionItemKind.Function,
  constructor: vscode.CompletionItemKind.Constructor,
  class: vscode.CompletionItemKind.Class,
  'local class': vscode.CompletionItemKind.Class,
  interface: vscode.CompletionItemKind.Interface,
  type: vscode.CompletionItemKind.TypeParameter,
  enum: vscode.CompletionItemKind.Enum,
  'enum member': vscode.CompletionItemKind.EnumMember,
  var: vscode.CompletionItemKind.Variable,
  'local var': vscode.CompletionItemKind.Variable,
  let: vscode.CompletionItemKind.Variable,
  const: vscode.CompletionItemKind.Constant,
  parameter: vscode.CompletionItemKind.Variable,
  module: vscode.CompletionItemKind.Module,
  'external module name': vscode.CompletionItemKind.Module,
  alias: vscode.CompletionItemKind.Reference,
  keyword: vscode.CompletionItemKind.Keyword,
  string: vscode.CompletionItemKind.Value,
  directory: vscode.CompletionItemKind.Folder,
  script: vscode.CompletionItemKind.File,
};

/** A completion item that remembers where it was asked, to resolve its details later. */
class CellCompletionItem extends vscode.CompletionItem {
  constructor(
    item: CompletionItem,
    readonly at: { notebook: string; cellId: string; position: CellPosition },
  ) {
    super(item.name, KINDS[item.kind] ?? vscode.CompletionItemKind.Text);
    this.sortText = item.sortText;
    if (item.insertText !== undefined) this.insertText = item.insertText;
    if (item.replace) this.range = toRange(item.replace);
  }
}

export function registerLanguageProviders(notebooks: LanguageNotebooks, client: LanguageClient): vscode.Disposable {
  /** The request's common part for a cell position, its cells sent first; undefined if the cell is not served. */
  const at = async (document: vscode.TextDocument, position: vscode.Position) => {
    const notebook = notebooks.notebookOf(document);
    if (!notebook) return undefined;
    return {
      notebook: notebooks.synced(notebook),
      cellId: document.uri.toString(),
      position: { line: position.line, character: position.character },
      cells: notebook,
    };
  };

  const completions: vscode.CompletionItemProvider<vscode.CompletionItem> = {
    provideCompletionItems: (document, position, token) =>
      quietly('completions', async () => {
        const where = await at(document, position);
        if (!where) return undefined;
        // `%`, `%wh`… at a line's start: the magics (protocol/magics.ts), not TypeScript.
        const magic = magicCompletionsAt(document.getText(), document.offsetAt(position));
        if (magic) {
          const range = new vscode.Range(document.positionAt(magic.start), position);
          return magic.items.map(({ text, detail }) => {
            const item = new vscode.CompletionItem(text.trimEnd(), vscode.CompletionItemKind.Keyword);
            item.insertText = text;
            item.detail = detail;
            item.range = range;
            return item;
          });
        }
        const { cells: _, ...params } = where;
        const items = await client.request('completions', params, token);
        return items.map((item) => new CellCompletionItem(item, params));
      }),
    resolveCompletionItem: (item, token) =>
      quietly('completion details', async () => {
        if (!(item instanceof CellCompletionItem)) return item; // a magic: its detail is already there
        const name = typeof item.label === 'string' ? item.label : item.label.label;
        const details = await client.request('completionDetails', { ...item.at, name }, token);
        if (details) {
          item.detail = details.detail;
          if (details.documentation) item.documentation = new vscode.MarkdownString(details.documentation);
        }
        return item;
      }),
  };

  const hover: vscode.HoverProvider = {
    provideHover: (document, position, token) =>
      quietly('hover', async () => {
        const where = await at(document, position);
        if (!where) return undefined;
        const { cells: _, ...params } = where;
        const found = await client.request('hover', params, token);
        if (!found) return undefined;
        const markdown = new vscode.MarkdownString().appendCodeblock(found.signature, 'typescript');
        if (found.documentation) markdown.appendMarkdown('\n\n' + found.documentation);
        return new vscode.Hover(markdown, found.range && toRange(found.range));
      }),
  };

  const signatures: vscode.SignatureHelpProvider = {
    provideSignatureHelp: (document, position, token) =>
      quietly('signature help', async () => {
        const where = await at(document, position);
        if (!where) return undefined;
        const { cells: _, ...params } = where;
        const found = await client.request('signatureHelp', params, token);
        if (!found) return undefined;
        const help = new vscode.SignatureHelp();
        help.signatures = found.signatures.map((s) => {
          const info = new vscode.SignatureInformation(s.label, s.documentation || undefined);
          info.parameters = s.parameters.map(
            (p) => new vscode.ParameterInformation(p.label, p.documentation || undefined),
          );
          return info;
        });
        help.activeSignature = found.activeSignature;
        help.activeParameter = found.activeParameter;
        return help;
      }),
  };

  const definitions: vscode.DefinitionProvider = {
    provideDefinition: (document, position, token) =>
      quietly('definition', async () => {
        const where = await at(document, position);
        if (!where) return undefined;
        const { cells, ...params } = where;
        const found = await client.request('definition', params, token);
        const locations: vscode.Location[] = [];
        for (const definition of found) {
          if ('cellId' in definition) {
            const cell = cells.getCells().find((c) => c.document.uri.toString() === definition.cellId);
            if (cell) locations.push(new vscode.Location(cell.document.uri, toRange(definition.range)));
          } else {
            // The worker's own declarations have virtual names under its types root; packages' are real files.
            const uri = definition.fileName.startsWith(TYPES_ROOT + '/')
              ? vscode.Uri.from({ scheme: TYPES_SCHEME, path: definition.fileName })
              : vscode.Uri.file(definition.fileName);
            locations.push(new vscode.Location(uri, toRange(definition.range)));
          }
        }
        return locations;
      }),
  };

  const declarations: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: async (uri) =>
      (await quietly('declaration file', () => client.request('readFile', { fileName: uri.path }))) ??
      `// ${uri.path}: not available (the language worker did not serve it)`,
  };

  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(SELECTOR, completions, '.', '"', "'", '/', '%'),
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.languages.registerSignatureHelpProvider(SELECTOR, signatures, '(', ','),
    vscode.languages.registerDefinitionProvider(SELECTOR, definitions),
    vscode.workspace.registerTextDocumentContentProvider(TYPES_SCHEME, declarations),
  );
}

/**
 * Runs a provider's work; a failure (the worker restarting, a TypeScript exception) is logged
 * and answers nothing. A cancelled request answers nothing silently: the editor asked again.
 */
async function quietly<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CancelledError) return undefined;
    console.warn(`LSTM Notebook: ${what} failed: ${(error as Error).message}`);
    return undefined;
  }
}
