/**
 * Line magics in a cell, as in IPython: a line whose first non-blank character is `%`. Two are
 * known: `%npm install <packages…>` (also `i`, `add`) and `%npm uninstall <packages…>` (also
 * `un`, `remove`, `rm`), which may sit among other lines, like IPython's `%pip`: the lines run
 * in order, so an import below it in the same cell sees the package; and `%whos [types…]`,
 * IPython's table of the notebook's variables (only those of the named types when given). Any
 * other `%name` line, and a cell magic (`%%name`), is refused by name before anything in the
 * cell runs.
 *
 * Pure and small (no transpiler): the worker replaces each magic line by a call to the kernel
 * before TypeScript sees the cell (one line for one line, so stacks keep the cell's lines), the
 * language service blanks them so they are not syntax errors, and the controller reads them to
 * say why an untrusted workspace installs nothing.
 */
import { KERNEL_GLOBAL } from './kernel';

/**
 * One magic line, 1-based: `%npm …` with npm's arguments (the subcommand first, as npm spells
 * it), or `%whos` with the type names it keeps (none: every variable).
 */
export type Magic = { line: number; name: 'npm'; args: string[] } | { line: number; name: 'whos'; types: string[] };

/** Why a magic line is refused, where: `line` and `column` are 1-based. */
export interface MagicProblem {
  reason: string;
  line: number;
  column: number;
}

const KNOWN_MAGICS = '%npm install <packages…>, %npm uninstall <packages…> and %whos [types…]';

const INSTALL = new Set(['install', 'i', 'add']);
const UNINSTALL = new Set(['uninstall', 'un', 'remove', 'rm', 'r']);
/** `%name` or `%%name` first on a line; `% 2` (a remainder continued from the line above) is not one. */
const MAGIC_LINE = /^(\s*)(%%?)([A-Za-z_][\w-]*)(.*)$/;

/** The magic lines of a cell, or the first problem with one. */
export function findMagics(code: string): { magics: Magic[]; problem: MagicProblem | null } {
  const magics: Magic[] = [];
  const lines = code.split('\n');
  for (const index of magicLines(lines)) {
    const match = MAGIC_LINE.exec(lines[index].replace(/\r$/, ''))!;
    const [, indent, percent, name, rest] = match;
    const at = { line: index + 1, column: indent.length + 1 };
    if (percent === '%%')
      return {
        magics,
        problem: { ...at, reason: `Cell magics (%%${name}) are not supported: the known magics are ${KNOWN_MAGICS}` },
      };
    if (name !== 'npm' && name !== 'whos')
      return {
        magics,
        problem: {
          ...at,
          reason: `Unknown magic %${name}: the known magics are ${KNOWN_MAGICS}`,
        },
      };
    const args = splitArgs(rest);
    if (!args.ok) return { magics, problem: { ...at, reason: `%${name}: ${args.reason}` } };
    if (name === 'whos') {
      const notName = args.words.find((word) => !/^[A-Za-z_$][\w$]*$/.test(word));
      if (notName !== undefined)
        return {
          magics,
          problem: { ...at, reason: `%whos takes type names (e.g. %whos Tensor LSTM), got ${JSON.stringify(notName)}` },
        };
      magics.push({ line: index + 1, name: 'whos', types: args.words });
      continue;
    }
    const [command = '', ...packages] = args.words;
    if (!INSTALL.has(command) && !UNINSTALL.has(command))
      return {
        magics,
        problem: {
          ...at,
          reason: `%npm ${command || '(nothing)'}: the known magics are ${KNOWN_MAGICS}; run other npm commands in a terminal`,
        },
      };
    if (UNINSTALL.has(command) && packages.length === 0)
      return { magics, problem: { ...at, reason: '%npm uninstall: name the packages to remove' } };
    magics.push({ line: index + 1, name: 'npm', args: [INSTALL.has(command) ? 'install' : 'uninstall', ...packages] });
  }
  return { magics, problem: null };
}

/** The magics, for completions: what each inserts and what it does. */
const MAGIC_COMPLETIONS: readonly { text: string; detail: string }[] = [
  { text: '%npm install ', detail: "install npm packages into the notebook's folder" },
  { text: '%npm uninstall ', detail: "remove npm packages from the notebook's folder" },
  { text: '%whos', detail: "the notebook's variables as a table; %whos Tensor LSTM: only those types" },
];

/**
 * Completions for a magic being typed: when the line up to `offset` in `code` is `%`, `%np`,
 * `%npm i`… at its start (outside a template literal or comment), the magics it may become and
 * where the typed magic starts (the range they replace); otherwise null.
 */
export function magicCompletionsAt(
  code: string,
  offset: number,
): { start: number; items: { text: string; detail: string }[] } | null {
  const lines = code.slice(0, offset).split('\n');
  const typed = /^(\s*)(%[\w ]*)$/.exec(lines[lines.length - 1].replace(/\r$/, ''));
  if (!typed) return null;
  // Whether a magic may stand here: ask the scan with a name in place of what is typed so far.
  lines[lines.length - 1] = `${typed[1]}%x`;
  if (!magicLines(lines).includes(lines.length - 1)) return null;
  const items = MAGIC_COMPLETIONS.filter((m) => m.text.startsWith(typed[2]) && m.text.trimEnd() !== typed[2]);
  return items.length === 0 ? null : { start: offset - typed[2].length, items };
}

/** True when the cell has a `%npm` line (valid or not): the controller's untrusted-workspace sentence. */
export function hasNpmMagic(code: string): boolean {
  const lines = code.split('\n');
  return magicLines(lines).some((index) => /^\s*%npm(\s|$)/.test(lines[index]));
}

/**
 * The cell with each magic line replaced, on the same line, by a call to the kernel
 * (`;await __lstmKernel.npm(["install","lodash"]);`, `;__lstmKernel.whos(["Tensor"]);`). Call
 * after findMagics found no problem.
 */
export function replaceMagics(code: string, magics: readonly Magic[]): string {
  if (magics.length === 0) return code;
  const lines = code.split('\n');
  for (const magic of magics) {
    const indent = /^\s*/.exec(lines[magic.line - 1])![0];
    lines[magic.line - 1] =
      magic.name === 'npm'
        ? `${indent};await ${KERNEL_GLOBAL}.npm(${JSON.stringify(magic.args)});`
        : `${indent};${KERNEL_GLOBAL}.whos(${JSON.stringify(magic.types)});`;
  }
  return lines.join('\n');
}

/** The cell with every magic line (valid or not) turned into spaces: same length, same lines. */
export function blankMagics(code: string): string {
  const lines = code.split('\n');
  for (const index of magicLines(lines)) lines[index] = lines[index].replace(/[^\r]/g, ' ');
  return lines.join('\n');
}

/**
 * Indices of the lines that are magic lines: they start with `%name` or `%%name` outside a
 * template literal, a string and a comment (a `%d` line inside a multi-line template is text).
 * A light scan of the code lines between them: strings, templates with their `${…}`, comments
 * and regular expressions (a `/` after an operator, a bracket or the start).
 */
function magicLines(lines: readonly string[]): number[] {
  const found: number[] = [];
  // The open template literals and the `${` braces inside each; `comment` while in a block comment.
  const templates: number[] = [];
  let comment = false;
  let previous = ''; // the last significant character of code, for `/`
  lines.forEach((line, index) => {
    if (!comment && templates.length === 0 && /^\s*%%?[A-Za-z_]/.test(line)) {
      found.push(index);
      return;
    }
    let i = 0;
    const inTemplateText = () => templates.length > 0 && templates[templates.length - 1] === 0;
    while (i < line.length) {
      const c = line[i];
      if (comment) {
        const end = line.indexOf('*/', i);
        if (end < 0) return;
        comment = false;
        i = end + 2;
      } else if (inTemplateText()) {
        if (c === '`') {
          templates.pop();
          previous = '`';
        } else if (c === '$' && line[i + 1] === '{') {
          templates[templates.length - 1] = 1;
          previous = '{';
          i++;
        } else if (c === '\\') i++;
        i++;
      } else if (c === '/' && line[i + 1] === '/') return;
      else if (c === '/' && line[i + 1] === '*') {
        comment = true;
        i += 2;
      } else if (c === '`') {
        templates.push(0);
        i++;
      } else if (c === "'" || c === '"') {
        i = skipQuoted(line, i + 1, c);
        previous = c;
      } else if (c === '/' && (previous === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(previous))) {
        i = skipQuoted(line, i + 1, '/');
        previous = '/';
      } else {
        if (templates.length > 0 && c === '{') templates[templates.length - 1]++;
        else if (templates.length > 0 && c === '}') templates[templates.length - 1]--;
        if (!/\s/.test(c)) previous = c;
        i++;
      }
    }
  });
  return found;
}

/** Past the closing `quote` of a string or regular expression that opened before `i` (or the line's end). */
function skipQuoted(line: string, i: number, quote: string): number {
  let inClass = false;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (quote === '/' && c === '[') inClass = true;
    else if (quote === '/' && c === ']') inClass = false;
    else if (c === quote && !inClass) return i + 1;
  }
  return i;
}

/** Words as a shell would split them for npm: blanks separate, '…' and "…" quote. */
function splitArgs(text: string): { ok: true; words: string[] } | { ok: false; reason: string } {
  const words: string[] = [];
  const pattern = /\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))/y;
  let word: string | null = null;
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at])) {
      if (word !== null) words.push(word);
      word = null;
      at++;
      continue;
    }
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) return { ok: false, reason: `an unclosed quote in ${text.trim()}` };
    word = (word ?? '') + (match[1] ?? match[2] ?? match[3]);
    at = pattern.lastIndex;
  }
  if (word !== null) words.push(word);
  return { ok: true, words };
}
