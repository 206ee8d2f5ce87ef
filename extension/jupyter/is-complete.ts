/**
 * is_complete_request: whether a console should run the code on Enter or wait for more lines,
 * for TypeScript. The cell goes through the same two parsers as when it runs (sucrase strips
 * the types, acorn parses the JavaScript, top-level await allowed): a syntax error at the very
 * end of the input means more is coming ("incomplete", with the indent the next line wants);
 * so is a template literal or a comment still open; any other error is "invalid"; no error is
 * "complete".
 */
import { parse } from 'acorn';
import { blankMagics } from '../../protocol/magics';
import { CellSyntaxError, transpileCell } from '../kernel/transpile';
import { offsetAt } from './cursor';

export type Completeness = { status: 'complete' } | { status: 'invalid' } | { status: 'incomplete'; indent: string };

export function isComplete(code: string): Completeness {
  if (code.trim() === '') return { status: 'complete' };
  let js: string;
  try {
    // A `%npm` line is the kernel's (protocol/magics.ts): complete as it is.
    js = transpileCell(blankMagics(code));
  } catch (error) {
    if (!(error instanceof CellSyntaxError)) return { status: 'invalid' };
    // A template literal or block comment left open runs to the end of the input wherever it began.
    if (/Unterminated (template|comment)/i.test(error.reason)) return incomplete(code);
    // The error's line and column are 1-based.
    const at = offsetAt(code, { line: error.line - 1, character: error.column - 1 });
    return atEnd(code, at) ? incomplete(code) : { status: 'invalid' };
  }
  try {
    parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true });
    return { status: 'complete' };
  } catch (error) {
    const pos = (error as { pos?: number }).pos;
    if (typeof pos !== 'number') return { status: 'invalid' };
    return atEnd(js, pos) ? incomplete(code) : { status: 'invalid' };
  }
}

/** An error at or past the last non-blank character: the parser wanted more. */
function atEnd(text: string, offset: number): boolean {
  return offset >= text.trimEnd().length;
}

/** The last line's indent, one level deeper after an opening bracket. */
function incomplete(code: string): Completeness {
  const last = code.trimEnd().split('\n').at(-1) ?? '';
  const indent = /^\s*/.exec(last)?.[0] ?? '';
  return { status: 'incomplete', indent: /[{([]\s*$/.test(last) ? `${indent}  ` : indent };
}
