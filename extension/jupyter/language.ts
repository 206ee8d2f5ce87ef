/**
 * complete_request and inspect_request, answered by the same TypeScript language service as
 * VS Code's cells (extension/language/): the cells this kernel has run, in order, are one
 * notebook, and the code being typed is its next cell — so a completion knows every name an
 * earlier cell declared, with its type, as in VS Code.
 */
import { join } from 'node:path';
import type { CompletionItem } from '../../protocol/language';
import { magicCompletionsAt } from '../../protocol/magics';
import { LanguageClient } from '../language/client';
import { codePointsFromUnits, positionAt, unitsFromCodePoints, wordAt } from './cursor';

const NOTEBOOK = 'jupyter-kernel';
const TYPING = 'typing';

export interface CompleteReply {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: { _jupyter_types_experimental: { start: number; end: number; text: string; type: string }[] };
}

export interface InspectReply {
  found: boolean;
  data: Record<string, string>;
  metadata: Record<string, never>;
}

export class KernelLanguage {
  private readonly client: LanguageClient;

  constructor(
    distDir: string,
    private readonly notebookDir: string,
    private readonly ranCells: () => string[],
    log: (message: string) => void,
  ) {
    this.client = new LanguageClient(join(distDir, 'language.js'), { typesDir: join(distDir, 'types') }, log);
  }

  /** Completions at `cursorPos` (code points) of `code`, those that start with the word typed so far. */
  async complete(code: string, cursorPos: number): Promise<CompleteReply> {
    const units = unitsFromCodePoints(code, cursorPos);
    // `%`, `%wh`… at a line's start: the magics (protocol/magics.ts), not TypeScript.
    const magic = magicCompletionsAt(code, units);
    if (magic) {
      const magicStart = codePointsFromUnits(code, magic.start);
      return {
        matches: magic.items.map((m) => m.text.trimEnd()),
        cursor_start: magicStart,
        cursor_end: cursorPos,
        metadata: {
          _jupyter_types_experimental: magic.items.map((m) => ({
            start: magicStart,
            end: cursorPos,
            text: m.text.trimEnd(),
            type: 'magic',
          })),
        },
      };
    }
    const [start, end] = wordAt(code, units);
    const typed = code.slice(start, units);
    const items = await this.request('completions', code, units);
    const matches = (items as CompletionItem[])
      .filter((item) => item.name.startsWith(typed))
      .sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
    const cursorStart = codePointsFromUnits(code, start);
    const cursorEnd = codePointsFromUnits(code, end);
    return {
      matches: matches.map((m) => m.name),
      cursor_start: cursorStart,
      cursor_end: cursorEnd,
      metadata: {
        _jupyter_types_experimental: matches.map((m) => ({
          start: cursorStart,
          end: cursorEnd,
          text: m.name,
          type: m.kind,
        })),
      },
    };
  }

  /** What hover shows for the name at (or just before) the cursor: its declaration and JSDoc. */
  async inspect(code: string, cursorPos: number): Promise<InspectReply> {
    const units = unitsFromCodePoints(code, cursorPos);
    // Clients send the cursor just after the name (`LSTM|`): ask there, then one character back.
    let hover = await this.request('hover', code, units);
    if (!hover && units > 0) hover = await this.request('hover', code, units - 1);
    if (!hover) return { found: false, data: {}, metadata: {} };
    const { signature, documentation } = hover;
    return {
      found: true,
      data: {
        'text/plain': documentation ? `${signature}\n\n${documentation}` : signature,
        'text/markdown': `\`\`\`typescript\n${signature}\n\`\`\`${documentation ? `\n\n${documentation}` : ''}`,
      },
      metadata: {},
    };
  }

  dispose(): void {
    this.client.dispose();
  }

  private async request<M extends 'completions' | 'hover'>(method: M, code: string, units: number) {
    const cells = this.ranCells().map((text, i) => ({ id: `ran-${i + 1}`, languageId: 'typescript', text }));
    cells.push({ id: TYPING, languageId: 'typescript', text: code });
    await this.client.update({ notebook: NOTEBOOK, notebookDir: this.notebookDir, cells });
    // `units` is within the code already: unitsFromCodePoints clamps a stale cursor to its end.
    return this.client.request(method, { notebook: NOTEBOOK, cellId: TYPING, position: positionAt(code, units) });
  }
}
