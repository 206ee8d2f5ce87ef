/**
 * The REPL rewrite: turns one cell's JavaScript into a script whose top-level declarations
 * outlive the cell, which may use top-level await, which returns the value of its last
 * expression, and whose loops can be interrupted.
 *
 *   const {a, b} = f();      →  ;({a, b} = f());          a, b become globals: they persist
 *   let x;                   →  ;(x = undefined);          and re-running the cell just works
 *   function g() {}          →  kept (hoisted), plus `globalThis.g = g;` at the top (after a 'use strict')
 *   class C {}               →  ;C = class C {};
 *   import {LSTM} from 'm'   →  ;({LSTM} = await __lstmKernel.import("m"));
 *   import('m')              →  __lstmKernel.import('m')
 *   while (c) body           →  while (c) { __lstmKernel.check(); body }
 *   last expression `e`      →  return { value: (e) }      (a trailing `;` hides it, as in Jupyter)
 *   with checkStatements:    a = f()  →  a = f(); __lstmKernel.checkMemory();  after each top-level
 *                            statement but a function declaration, a directive and a returned value
 *
 * The whole cell becomes `(async () => { … \n})()`, opened on the cell's first line, and every
 * edit keeps the line it was on, so runtime stack lines are cell lines.
 */
import {
  parse,
  type ImportDeclaration,
  type ModuleDeclaration,
  type Pattern,
  type Program,
  type Statement,
} from 'acorn';
import { simple } from 'acorn-walk';
import MagicString from 'magic-string';
import { KERNEL_GLOBAL } from '../../protocol/kernel';
import { syntaxErrorAt } from './transpile';

export interface RewrittenCell {
  /** A script expression evaluating to Promise<{ value } | undefined>. */
  script: string;
  /** Names the cell declares at top level; the worker makes each a global before running. */
  declared: string[];
  /** Per script line, [scriptColumn, source, cellLine, cellColumn] segments, all 0-based (a decoded source map). */
  mappings: number[][][];
}

/**
 * `pauseAtStart` (Run by Line) puts a `debugger;` statement before the cell's first line, inside
 * the wrapper: an attached debugger stops there, and the mappings account for it.
 */
export function rewriteCell(
  js: string,
  { pauseAtStart = false, checkStatements = false }: { pauseAtStart?: boolean; checkStatements?: boolean } = {},
): RewrittenCell {
  let program: Program;
  try {
    program = parse(js, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      locations: true,
    });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (!loc) throw error;
    throw syntaxErrorAt(js, String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, ''), loc.line, loc.column + 1);
  }
  const out = new MagicString(js);
  const declared = new Set<string>();
  const hoisted: string[] = [];

  instrumentLoops(program, out);
  rewriteDynamicImports(program, out);

  const body = program.body;
  let returnsValue = false;
  body.forEach((node, index) => {
    let statement = node;
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration) {
      out.remove(statement.start, statement.declaration.start); // `export const x` is `const x` here
      statement = statement.declaration;
    } else if (
      statement.type === 'ExportNamedDeclaration' ||
      statement.type === 'ExportDefaultDeclaration' ||
      statement.type === 'ExportAllDeclaration'
    ) {
      throw syntaxErrorAt(
        js,
        'A notebook cell cannot export: declare the value instead, later cells see it',
        statement.loc!.start.line,
        statement.loc!.start.column + 1,
      );
    }
    switch (statement.type) {
      case 'VariableDeclaration': {
        // `const a = 1, {b} = o;` → `;(a = 1), ({b} = o);`
        out.overwrite(statement.start, statement.declarations[0].start, ';');
        for (const d of statement.declarations) {
          for (const name of patternNames(d.id)) declared.add(name);
          out.prependRight(d.start, '(');
          if (d.init) out.appendLeft(d.end, ')');
          else {
            // Without an initializer the binding is a plain name (a pattern needs one); `var x;` keeps x's value.
            const kept = statement.kind === 'var' && d.id.type === 'Identifier' ? d.id.name : 'undefined';
            out.appendLeft(d.end, ` = ${kept})`);
          }
        }
        break;
      }
      case 'FunctionDeclaration':
        declared.add(statement.id.name);
        hoisted.push(`globalThis.${statement.id.name} = ${statement.id.name};`);
        break;
      case 'ClassDeclaration':
        declared.add(statement.id.name);
        out.prependRight(statement.start, `;${statement.id.name} = `);
        out.appendLeft(statement.end, ';');
        break;
      case 'ImportDeclaration':
        out.overwrite(
          statement.start,
          statement.end,
          importAssignments(statement, declared) + newlinesIn(js, statement.start, statement.end),
        );
        break;
      case 'ExpressionStatement':
        if (index === body.length - 1 && statement.directive !== 'use strict' && js[statement.end - 1] !== ';') {
          returnsValue = true;
          // The statement, not its expression: `({ a: 1 })` starts at its parenthesis.
          out.prependRight(statement.start, 'return { value: (');
          out.appendLeft(statement.end, ') }');
        }
        break;
      default:
        break;
    }
    if (checkStatements && !returnsValue && statement.type !== 'FunctionDeclaration' && !isDirective(statement))
      out.appendLeft(node.end, `${js[node.end - 1] === ';' ? '' : ';'} ${KERNEL_GLOBAL}.checkMemory();`);
  });

  // A directive ('use strict') applies only while it comes first: the functions are published after it.
  const pause = pauseAtStart ? 'debugger; ' : '';
  const lastDirective = directivePrologue(body).at(-1);
  if (lastDirective && hoisted.length > 0) {
    const separator = js[lastDirective.end - 1] === ';' ? ' ' : '; ';
    out.appendLeft(lastDirective.end, `${separator}${hoisted.join(' ')}`);
    out.prepend(`(async () => { ${pause}`);
  } else out.prepend(`(async () => { ${pause}${hoisted.join(' ')}`);
  out.append('\n})()');
  const mappings = out.generateDecodedMap({ hires: true }).mappings as number[][][];
  return { script: out.toString(), declared: [...declared], mappings };
}

/** Every loop body starts with an interrupt check, so `while (true) {}` can be stopped. */
function instrumentLoops(program: Program, out: MagicString): void {
  const check = `${KERNEL_GLOBAL}.check();`;
  const visit = (loop: { body: Statement }) => {
    const loopBody = loop.body;
    if (loopBody.type === 'BlockStatement') out.appendLeft(loopBody.start + 1, ` ${check}`);
    else {
      out.prependRight(loopBody.start, `{ ${check} `);
      out.appendLeft(loopBody.end, ' }');
    }
  };
  simple(program, {
    ForStatement: visit,
    ForInStatement: visit,
    ForOfStatement: visit,
    WhileStatement: visit,
    DoWhileStatement: visit,
  });
}

/** `import(x)` in a script has no module loader behind it; the kernel's import does. */
function rewriteDynamicImports(program: Program, out: MagicString): void {
  simple(program, {
    ImportExpression(node) {
      out.overwrite(node.start, node.source.start, `${KERNEL_GLOBAL}.import(`);
    },
  });
}

function isDirective(node: Statement | ModuleDeclaration): boolean {
  return node.type === 'ExpressionStatement' && typeof node.directive === 'string';
}

/** The leading string statements of the cell: its directives, e.g. 'use strict'. */
function directivePrologue(body: Array<Statement | ModuleDeclaration>): Array<Statement | ModuleDeclaration> {
  const end = body.findIndex((node) => !isDirective(node));
  return end < 0 ? body : body.slice(0, end);
}

function importAssignments(node: ImportDeclaration, declared: Set<string>): string {
  const source = JSON.stringify(node.source.value);
  const load = `await ${KERNEL_GLOBAL}.import(${source})`;
  const named: string[] = [];
  const parts: string[] = [];
  for (const s of node.specifiers) {
    declared.add(s.local.name);
    if (s.type === 'ImportNamespaceSpecifier') parts.push(`;(${s.local.name} = ${load});`);
    else if (s.type === 'ImportDefaultSpecifier') named.push(`default: ${s.local.name}`);
    else {
      const imported = s.imported.type === 'Literal' ? JSON.stringify(s.imported.value) : s.imported.name;
      named.push(imported === s.local.name ? imported : `${imported}: ${s.local.name}`);
    }
  }
  if (named.length > 0) parts.push(`;({ ${named.join(', ')} } = ${load});`);
  if (parts.length === 0) parts.push(`;${load};`);
  return parts.join(' ');
}

/** The identifiers a binding pattern declares: `{a, b: [c, ...d], e = 1}` → a, c, d, e. */
function patternNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    case 'RestElement':
      return patternNames(pattern.argument);
    default:
      return [];
  }
}

function newlinesIn(text: string, start: number, end: number): string {
  return '\n'.repeat(text.slice(start, end).split('\n').length - 1);
}
