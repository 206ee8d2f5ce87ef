/**
 * The notebook as the type checker sees it: one virtual module per TypeScript/JavaScript cell,
 * in document order. A cell's module is
 *
 *   line 0     import { model } from './cell-1'; import { data } from './cell-3';   (generated)
 *   lines 1…   the cell's text, unchanged
 *   last line  export { x, y };                                                      (generated)
 *
 * The header imports each name an earlier cell declares from the last earlier cell declaring
 * it — as at run time, where a later declaration overwrites the global — except names this cell
 * declares itself, so a re-declared `const model = …` retypes `model` for the cells below. The
 * header is exactly one line, so a cell position is its virtual position one line down. A name
 * an earlier cell declares with let or var is not imported but declared again with its type
 * (`declare let n: (typeof import('./cell-1'))['n'];`): a later cell may reassign it, as at run
 * time, and the assignment is type-checked (an imported name would only give TS2632).
 *
 * Files are named by a number each cell id gets when first seen, not by its index: moving a
 * cell does not rename it, and a file's version changes only when its text does.
 */
import type { CellPosition, CellRange, NotebookCell } from '../../protocol/language';
import { blankMagics } from '../../protocol/magics';
import { declaredNames, type DeclaredName } from './declared-names';

export interface VirtualCell {
  cellId: string;
  fileName: string;
  text: string;
  /** Characters before the cell's text: the header line and its newline. */
  bodyStart: number;
  /** Characters of the cell's text. */
  bodyLength: number;
  declared: readonly DeclaredName[];
  /** Where each name of the header comes from. */
  imports: ReadonlyMap<string, { from: VirtualCell; declaration: DeclaredName }>;
  /** Offsets where the cell's lines start (in the cell's text). */
  lineStarts: readonly number[];
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

export class VirtualNotebook {
  private cells: VirtualCell[] = [];
  private readonly byId = new Map<string, VirtualCell>();
  private readonly byFile = new Map<string, VirtualCell>();
  private readonly numbers = new Map<string, number>();
  /** Every file ever built, with its text and version: a file that comes back gets a new version. */
  private readonly versions = new Map<string, { text: string; version: number }>();
  private projectVersion = 0;
  /** Each cell's declared names with the text and file name they were parsed from: a keystroke re-parses one cell, not all. */
  private readonly parsed = new Map<string, { text: string; fileName: string; declared: DeclaredName[] }>();

  /** `dir` is the notebook's folder: relative imports and node_modules resolve from there. */
  constructor(readonly dir: string) {}

  /** Rebuilds every cell's module from the notebook's code cells in document order. */
  update(cells: readonly NotebookCell[]): void {
    const built: VirtualCell[] = [];
    const lastDeclaring = new Map<string, { from: VirtualCell; declaration: DeclaredName }>();
    for (const cell of cells) {
      const extension = EXTENSIONS[cell.languageId];
      if (!extension) continue;
      const fileName = `${this.dir}/cell-${this.numberOf(cell.id)}${extension}`;
      // A `%npm install …` line is the kernel's, not TypeScript: the checker sees it blank.
      const body = blankMagics(cell.text);
      const declared = this.declaredOf(cell.id, body, fileName);
      const own = new Set(declared.map((d) => d.name));
      const imports = new Map([...lastDeclaring].filter(([name]) => !own.has(name)));
      const header = headerLine(imports) + '\n';
      const exported = declared.filter((d) => !d.exported).map((d) => d.name);
      const text = `${header}${body}\n;export { ${exported.join(', ')} };\n`;
      const virtual: VirtualCell = {
        cellId: cell.id,
        fileName,
        text,
        bodyStart: header.length,
        bodyLength: cell.text.length,
        declared,
        imports,
        lineStarts: lineStartsOf(cell.text),
      };
      built.push(virtual);
      for (const declaration of declared) {
        // Deleted first so the map's order is that of the last declarations: the header's
        // imports then come in the cells' document order.
        lastDeclaring.delete(declaration.name);
        lastDeclaring.set(declaration.name, { from: virtual, declaration });
      }
    }
    let changed =
      built.length !== this.cells.length || built.some((cell, i) => cell.fileName !== this.cells[i].fileName);
    for (const cell of built) {
      const known = this.versions.get(cell.fileName);
      if (known?.text === cell.text) continue;
      this.versions.set(cell.fileName, { text: cell.text, version: (known?.version ?? 0) + 1 });
      changed = true;
    }
    if (changed) this.projectVersion++;
    const present = new Set(built.map((cell) => cell.cellId));
    for (const id of this.parsed.keys()) if (!present.has(id)) this.parsed.delete(id); // deleted, or no longer TypeScript
    this.cells = built;
    this.byId.clear();
    this.byFile.clear();
    for (const cell of built) {
      this.byId.set(cell.cellId, cell);
      this.byFile.set(cell.fileName, cell);
    }
  }

  private declaredOf(cellId: string, text: string, fileName: string): DeclaredName[] {
    const known = this.parsed.get(cellId);
    if (known?.text === text && known.fileName === fileName) return known.declared;
    const declared = declaredNames(text, fileName);
    this.parsed.set(cellId, { text, fileName, declared });
    return declared;
  }

  /** The cells' modules in document order. */
  files(): readonly VirtualCell[] {
    return this.cells;
  }

  cell(cellId: string): VirtualCell | undefined {
    return this.byId.get(cellId);
  }

  file(fileName: string): VirtualCell | undefined {
    return this.byFile.get(fileName);
  }

  /** Changes whenever a file is added, removed, reordered or edited (the host's project version). */
  version(): number {
    return this.projectVersion;
  }

  /** A file's version: changes only when its text does. */
  fileVersion(fileName: string): number | undefined {
    return this.byFile.has(fileName) ? this.versions.get(fileName)?.version : undefined;
  }

  private numberOf(cellId: string): number {
    let n = this.numbers.get(cellId);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(cellId, n);
    }
    return n;
  }
}

function headerLine(imports: VirtualCell['imports']): string {
  const byFile = new Map<VirtualCell, string[]>();
  const reassignable: string[] = [];
  for (const [name, { from, declaration }] of imports) {
    if (declaration.kind === 'let' || declaration.kind === 'var') {
      // An import cannot be assigned to, but a later cell may reassign an earlier `let` (the
      // kernel makes it a global): a local of the same type, and the assignment is type-checked.
      reassignable.push(`declare let ${name}: (typeof import('./${moduleName(from.fileName)}'))['${name}'];`);
    } else {
      byFile.set(from, [...(byFile.get(from) ?? []), name]);
    }
  }
  return [
    ...[...byFile].map(([from, names]) => `import { ${names.join(', ')} } from './${moduleName(from.fileName)}';`),
    ...reassignable,
  ].join(' ');
}

/** `./cell-3`, without the extension: the bundler resolution finds .ts or .js. */
function moduleName(fileName: string): string {
  return fileName.slice(fileName.lastIndexOf('/') + 1).replace(/\.[jt]sx?$/, '');
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */ && text.charCodeAt(i + 1) === 10) continue; // \r\n ends at the \n
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

/** The virtual file offset of a cell position (clamped to the cell's text). */
export function toOffset(cell: VirtualCell, position: CellPosition): number {
  const line = Math.min(Math.max(position.line, 0), cell.lineStarts.length - 1);
  let lineEnd = line + 1 < cell.lineStarts.length ? cell.lineStarts[line + 1] : cell.bodyLength;
  // Before the line break (\n, \r\n or \r), not on the next line.
  if (lineEnd > cell.lineStarts[line] && line + 1 < cell.lineStarts.length) {
    lineEnd--;
    if (cell.text[cell.bodyStart + lineEnd] === '\n' && cell.text[cell.bodyStart + lineEnd - 1] === '\r') lineEnd--;
  }
  return cell.bodyStart + Math.min(cell.lineStarts[line] + Math.max(position.character, 0), lineEnd);
}

/** The cell position of a virtual file offset, or undefined in the generated header or footer. */
export function toCellPosition(cell: VirtualCell, offset: number): CellPosition | undefined {
  const inCell = offset - cell.bodyStart;
  if (inCell < 0 || inCell > cell.bodyLength) return undefined;
  let low = 0;
  let high = cell.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (cell.lineStarts[mid] <= inCell) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: inCell - cell.lineStarts[low] };
}

/**
 * The cell range of a virtual span (a diagnostic's, a definition's): undefined when it starts
 * in the generated header or footer; a span running past the cell's text is cut at its end.
 */
export function toCellRange(cell: VirtualCell, start: number, length: number): CellRange | undefined {
  const from = toCellPosition(cell, start);
  if (!from) return undefined;
  const to = toCellPosition(cell, Math.min(start + length, cell.bodyStart + cell.bodyLength));
  return to ? { start: from, end: to } : undefined;
}
