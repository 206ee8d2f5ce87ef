/**
 * A TypeScript LanguageService over a notebook's cells (virtual-cells.ts), answering in cell
 * positions: completions, hover, signature help, definitions and diagnostics. No vscode here:
 * it runs in plain Node tests and, in the extension, in a worker thread of the extension host.
 *
 * Compiler options, and why:
 *   module preserve (moduleResolution bundler)  top-level await in every cell; extensionless
 *       `./cell-1` imports between cells; `lstm-notebook` and packages' `exports` resolve as
 *       the kernel loads them. node16 would make each .ts cell CommonJS (no top-level await,
 *       relative imports need an extension) unless the notebook's folder says "type": "module".
 *   target/lib ES2022 with @types/node   the kernel worker is Node: console, timers, process,
 *       require, __dirname, `node:fs`… (Node's ambient `declare module 'node:fs'`).
 *   strict   what the project itself uses, and what makes the cross-cell errors worth having.
 *   allowJs without checkJs   JavaScript cells get completions, not type errors.
 */
import ts from 'typescript';
import { nodeTypeSource, type TypeSource } from './type-source';
import type {
  CellDiagnostic,
  CellPosition,
  CompletionDetails,
  CompletionItem,
  Definition,
  Hover,
  NotebookCell,
  SignatureHelp,
} from '../../protocol/language';
import { toCellRange, toOffset, VirtualNotebook, type VirtualCell } from './virtual-cells';

export interface LanguageServiceOptions {
  /** The notebook's folder: relative imports and its node_modules resolve from there. */
  notebookDir: string;
  types?: TypeSource;
  /** Whether the request being answered was cancelled: TypeScript checks it while it type-checks and stops. */
  isCancelled?: () => boolean;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  strict: true,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  types: ['node'],
};

/** TS2632 "Cannot assign to 'x' because it is an import": the header's import, not one the user wrote. */
const ASSIGN_TO_IMPORT = 2632;

export class NotebookLanguageService {
  private readonly notebook: VirtualNotebook;
  private readonly types: TypeSource;
  private readonly service: ts.LanguageService;
  private readonly options: ts.CompilerOptions;
  private readonly lstmNotebookEntry: string;
  private readonly isCancelled: () => boolean;

  constructor({ notebookDir, types = nodeTypeSource(), isCancelled = () => false }: LanguageServiceOptions) {
    this.isCancelled = isCancelled;
    this.notebook = new VirtualNotebook(notebookDir.replace(/\\/g, '/').replace(/\/$/, ''));
    this.types = types;
    this.options = { ...COMPILER_OPTIONS, typeRoots: [`${types.root}/node_modules/@types`] };
    this.lstmNotebookEntry = `${types.root}/node_modules/lstm-notebook/index.d.ts`;
    this.service = ts.createLanguageService(this.host(), ts.createDocumentRegistry(true, notebookDir));
  }

  /** Rebuilds the cells' modules: call with every code cell in document order after any change. */
  update(cells: readonly NotebookCell[]): void {
    this.notebook.update(cells);
  }

  completions(cellId: string, position: CellPosition): CompletionItem[] {
    const at = this.at(cellId, position);
    if (!at) return [];
    const info = this.service.getCompletionsAtPosition(at.cell.fileName, at.offset, {
      includeCompletionsWithInsertText: true,
      includeCompletionsWithSnippetText: false,
    });
    return (info?.entries ?? []).map((entry) => {
      const item: CompletionItem = {
        name: entry.name,
        kind: entry.kind,
        kindModifiers: entry.kindModifiers ?? '',
        sortText: entry.sortText,
      };
      if (entry.insertText !== undefined) item.insertText = entry.insertText;
      const span = entry.replacementSpan;
      const replace = span && toCellRange(at.cell, span.start, span.length);
      if (replace) item.replace = replace;
      return item;
    });
  }

  /** The declaration and JSDoc of one completion item (what the suggest widget shows beside it). */
  completionDetails(cellId: string, position: CellPosition, name: string): CompletionDetails | undefined {
    const at = this.at(cellId, position);
    const details =
      at &&
      this.service.getCompletionEntryDetails(at.cell.fileName, at.offset, name, {}, undefined, undefined, undefined);
    if (!details) return undefined;
    return {
      detail: ts.displayPartsToString(details.displayParts),
      documentation: documentationOf(details.documentation, details.tags),
    };
  }

  hover(cellId: string, position: CellPosition): Hover | undefined {
    const at = this.at(cellId, position);
    const info = at && this.service.getQuickInfoAtPosition(at.cell.fileName, at.offset);
    if (!at || !info) return undefined;
    return {
      signature: ts.displayPartsToString(info.displayParts),
      documentation: documentationOf(info.documentation, info.tags),
      range: toCellRange(at.cell, info.textSpan.start, info.textSpan.length),
    };
  }

  signatureHelp(cellId: string, position: CellPosition): SignatureHelp | undefined {
    const at = this.at(cellId, position);
    const help = at && this.service.getSignatureHelpItems(at.cell.fileName, at.offset, undefined);
    if (!help) return undefined;
    const text = ts.displayPartsToString;
    return {
      signatures: help.items.map((item) => ({
        label:
          text(item.prefixDisplayParts) +
          item.parameters.map((p) => text(p.displayParts)).join(text(item.separatorDisplayParts)) +
          text(item.suffixDisplayParts),
        documentation: text(item.documentation),
        parameters: item.parameters.map((p) => ({ label: text(p.displayParts), documentation: text(p.documentation) })),
      })),
      activeSignature: help.selectedItemIndex,
      activeParameter: help.argumentIndex,
    };
  }

  definition(cellId: string, position: CellPosition): Definition[] {
    const at = this.at(cellId, position);
    const found = at ? this.service.getDefinitionAtPosition(at.cell.fileName, at.offset) : undefined;
    const definitions: Definition[] = [];
    for (const { fileName, textSpan } of found ?? []) {
      const cell = this.notebook.file(fileName);
      if (cell) {
        const range = toCellRange(cell, textSpan.start, textSpan.length);
        const found = range ? { cellId: cell.cellId, range } : earlierDeclaration(cell, textSpan);
        if (found) definitions.push(found);
        continue;
      }
      const source = this.service.getProgram()?.getSourceFile(fileName);
      if (!source) continue;
      const start = source.getLineAndCharacterOfPosition(textSpan.start);
      const end = source.getLineAndCharacterOfPosition(textSpan.start + textSpan.length);
      definitions.push({ fileName, range: { start, end } });
    }
    return definitions;
  }

  /** Every cell's syntactic and semantic diagnostics, in cell positions (cells without any included). */
  diagnostics(): Map<string, CellDiagnostic[]> {
    return new Map(this.notebook.files().map((cell) => [cell.cellId, this.diagnosticsOf(cell)]));
  }

  /** One cell's diagnostics; [] for a cell the notebook does not have (deleted meanwhile, or not code). */
  cellDiagnostics(cellId: string): CellDiagnostic[] {
    const cell = this.notebook.cell(cellId);
    return cell ? this.diagnosticsOf(cell) : [];
  }

  private diagnosticsOf(cell: VirtualCell): CellDiagnostic[] {
    const found = [
      ...this.service.getSyntacticDiagnostics(cell.fileName),
      ...this.service.getSemanticDiagnostics(cell.fileName),
    ];
    const mapped: CellDiagnostic[] = [];
    for (const diagnostic of found) {
      if (diagnostic.start === undefined || diagnostic.length === undefined) continue;
      const range = toCellRange(cell, diagnostic.start, diagnostic.length);
      if (!range) continue; // in the generated header or footer
      let message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (diagnostic.code === ASSIGN_TO_IMPORT) {
        // An earlier const, function, class or import: say so rather than "it is an import".
        // (An earlier let or var is no import: see virtual-cells.ts.)
        const reassigned = assignedEarlierName(cell, diagnostic.start, diagnostic.length);
        if (reassigned)
          message = `Cannot assign to '${reassigned.name}': an earlier cell declares it with ${reassigned.kind}.`;
      }
      mapped.push({ code: diagnostic.code, category: CATEGORIES[diagnostic.category], message, range });
    }
    return mapped;
  }

  dispose(): void {
    this.service.dispose();
  }

  private at(cellId: string, position: CellPosition): { cell: VirtualCell; offset: number } | undefined {
    const cell = this.notebook.cell(cellId);
    return cell && { cell, offset: toOffset(cell, position) };
  }

  private readFile(path: string): string | undefined {
    const cell = this.notebook.file(path);
    if (cell) return cell.text;
    if (path.startsWith(this.types.root + '/')) return this.types.readFile(path);
    return ts.sys.readFile(path);
  }

  private host(): ts.LanguageServiceHost {
    const types = this.types;
    const inTypes = (path: string) => path === types.root || path.startsWith(types.root + '/');
    const moduleHost: ts.ModuleResolutionHost = {
      fileExists: (path) =>
        this.notebook.file(path) !== undefined || (inTypes(path) ? types.fileExists(path) : ts.sys.fileExists(path)),
      readFile: (path) => this.readFile(path),
      directoryExists: (path) =>
        path === this.notebook.dir || (inTypes(path) ? types.directoryExists(path) : ts.sys.directoryExists(path)),
      getDirectories: (path) => (inTypes(path) ? types.getDirectories(path) : ts.sys.getDirectories(path)),
      realpath: (path) => (inTypes(path) || this.notebook.file(path) ? path : (ts.sys.realpath?.(path) ?? path)),
    };
    const cache = ts.createModuleResolutionCache(this.notebook.dir, (name) => name, this.options);
    return {
      ...moduleHost,
      useCaseSensitiveFileNames: () => true,
      getCompilationSettings: () => this.options,
      getProjectVersion: () => String(this.notebook.version()),
      getScriptFileNames: () => [`${types.root}/globals.d.ts`, ...this.notebook.files().map((cell) => cell.fileName)],
      getScriptVersion: (fileName) => String(this.notebook.fileVersion(fileName) ?? 0),
      getScriptSnapshot: (fileName) => {
        const text = this.readFile(fileName);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => this.notebook.dir,
      getCancellationToken: () => ({ isCancellationRequested: this.isCancelled }),
      getDefaultLibFileName: () => `${types.root}/lib/lib.d.ts`,
      // `lstm-notebook` is the embedded module, as in the kernel (whatever the folder's node_modules holds).
      resolveModuleNameLiterals: (literals, containingFile, redirected, options, containingSource) =>
        literals.map((literal) =>
          literal.text === 'lstm-notebook'
            ? {
                resolvedModule: {
                  resolvedFileName: this.lstmNotebookEntry,
                  extension: ts.Extension.Dts,
                  isExternalLibraryImport: true,
                },
              }
            : ts.resolveModuleName(
                literal.text,
                containingFile,
                options,
                moduleHost,
                cache,
                redirected,
                ts.getModeForUsageLocation(containingSource, literal, options),
              ),
        ),
    };
  }
}

const CATEGORIES: Record<ts.DiagnosticCategory, CellDiagnostic['category']> = {
  [ts.DiagnosticCategory.Error]: 'error',
  [ts.DiagnosticCategory.Warning]: 'warning',
  [ts.DiagnosticCategory.Suggestion]: 'suggestion',
  [ts.DiagnosticCategory.Message]: 'message',
};

/** The JSDoc text, then its tags (`@example …`). */
function documentationOf(documentation: ts.SymbolDisplayPart[] | undefined, tags: ts.JSDocTagInfo[] | undefined) {
  const tagLines = (tags ?? []).map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trimEnd());
  return [ts.displayPartsToString(documentation), ...tagLines].filter(Boolean).join('\n\n');
}

/** A definition in a cell's header (an earlier `let` declared again): the earlier cell's declaration instead. */
function earlierDeclaration(cell: VirtualCell, span: ts.TextSpan): Definition | undefined {
  const earlier = cell.imports.get(cell.text.slice(span.start, span.start + span.length));
  if (!earlier || span.start >= cell.bodyStart) return undefined;
  const { from, declaration } = earlier;
  const range = toCellRange(from, from.bodyStart + declaration.start, declaration.name.length);
  return range && { cellId: from.cellId, range };
}

/** The earlier cell's declaration of the name a TS2632 points at, if the header imports it. */
function assignedEarlierName(cell: VirtualCell, start: number, length: number) {
  const name = cell.text.slice(start, start + length);
  return cell.imports.get(name)?.declaration;
}
