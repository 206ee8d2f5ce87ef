/**
 * Line magics in a cell, as in IPython: a line whose first non-blank character is `%`. One is
 * known, `%npm install <packages…>` (also `i`, `add`) and `%npm uninstall <packages…>` (also
 * `un`, `remove`, `rm`), and it may sit among other lines, like IPython's `%pip`: the lines run
 * in order, so an import below it in the same cell sees the package. Any other `%name` line,
 * and a cell magic (`%%name`), is refused by name before anything in the cell runs.
 *
 * Pure and small (no transpiler): the worker replaces each magic line by a call to the kernel
 * before TypeScript sees the cell (one line for one line, so stacks keep the cell's lines), the
 * language service blanks them so they are not syntax errors, and the controller reads them to
 * say why an untrusted workspace installs nothing.
 */
import { KERNEL_GLOBAL } from './kernel';

/** One `%npm …` line: its 1-based line and npm's arguments (the subcommand first, as npm spells it). */
export interface NpmMagic {
  line: number;
  args: string[];
}

/** Why a magic line is refused, where: `line` and `column` are 1-based. */
export interface MagicProblem {
  reason: string;
  line: number;
  column: number;
}

const KNOWN_MAGICS = '%npm install <packages…> and %npm uninstall <packages…>';

const INSTALL = new Set(['install', 'i', 'add']);
const UNINSTALL = new Set(['uninstall', 'un', 'remove', 'rm', 'r']);
/** `%name` or `%%name` first on a line; `% 2` (a remainder continued from the line above) is not one. */
const MAGIC_LINE = /^(\s*)(%%?)([A-Za-z_][\w-]*)(.*)$/;

/** The magic lines of a cell, or the first problem with one. */
export function findMagics(code: string): { magics: NpmMagic[]; problem: MagicProblem | null } {
  const magics: NpmMagic[] = [];
  const lines = code.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = MAGIC_LINE.exec(lines[index].replace(/\r$/, ''));
    if (!match) continue;
    const [, indent, percent, name, rest] = match;
    const at = { line: index + 1, column: indent.length + 1 };
    if (percent === '%%')
      return {
        magics,
        problem: { ...at, reason: `Cell magics (%%${name}) are not supported: the known magics are ${KNOWN_MAGICS}` },
      };
    if (name !== 'npm')
      return {
        magics,
        problem: {
          ...at,
          reason: `Unknown magic %${name}: the known magics are ${KNOWN_MAGICS}`,
        },
      };
    const args = splitArgs(rest);
    if (!args.ok) return { magics, problem: { ...at, reason: `%npm: ${args.reason}` } };
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
    magics.push({ line: index + 1, args: [INSTALL.has(command) ? 'install' : 'uninstall', ...packages] });
  }
  return { magics, problem: null };
}

/** True when the cell has a `%npm` line (valid or not): the controller's untrusted-workspace sentence. */
export function hasNpmMagic(code: string): boolean {
  return /^\s*%npm(\s|$)/m.test(code);
}

/**
 * The cell with each `%npm` line replaced, on the same line, by an awaited call to the kernel
 * (`;await __lstmKernel.npm(["install","lodash"]);`). Call after findMagics found no problem.
 */
export function replaceMagics(code: string, magics: readonly NpmMagic[]): string {
  if (magics.length === 0) return code;
  const lines = code.split('\n');
  for (const { line, args } of magics) {
    const indent = /^\s*/.exec(lines[line - 1])![0];
    lines[line - 1] = `${indent};await ${KERNEL_GLOBAL}.npm(${JSON.stringify(args)});`;
  }
  return lines.join('\n');
}

/** The cell with every magic line (valid or not) turned into spaces: same length, same lines. */
export function blankMagics(code: string): string {
  return code.replace(/^[ \t]*%%?[A-Za-z_][^\n]*/gm, (line) => line.replace(/[^\r]/g, ' '));
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
