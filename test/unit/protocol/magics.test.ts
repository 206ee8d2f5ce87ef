/** The syntax of a cell's magic lines (protocol/magics.ts), without a kernel. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankMagics, findMagics, hasNpmMagic, magicCompletionsAt, replaceMagics } from '../../../protocol/magics';

test('%npm install / i / add and uninstall / rm lines, quoted words, anywhere in the cell', () => {
  const code = 'const a = 1;\n%npm i lodash \'my pkg\'\n  %npm add "@scope/x"@2\n%npm rm lodash\na % 2;\n% 3';
  const { magics, problem } = findMagics(code);
  assert.equal(problem, null);
  assert.deepEqual(magics, [
    { line: 2, name: 'npm', args: ['install', 'lodash', 'my pkg'] },
    { line: 3, name: 'npm', args: ['install', '@scope/x@2'] },
    { line: 4, name: 'npm', args: ['uninstall', 'lodash'] },
  ]);
  const replaced = replaceMagics(code, magics).split('\n');
  assert.equal(replaced.length, 6, 'one line for one line');
  assert.equal(replaced[1], ';await __lstmKernel.npm(["install","lodash","my pkg"]);');
  assert.equal(replaced[2], '  ;await __lstmKernel.npm(["install","@scope/x@2"]);');
  assert.equal(replaced[5], '% 3', 'a remainder continued from the line above is no magic');
});

test('%whos with no words or with type names, replaced by a call on the same line', () => {
  const code = 'a;\n%whos\n  %whos Tensor LSTM $x';
  const { magics, problem } = findMagics(code);
  assert.equal(problem, null);
  assert.deepEqual(magics, [
    { line: 2, name: 'whos', types: [] },
    { line: 3, name: 'whos', types: ['Tensor', 'LSTM', '$x'] },
  ]);
  assert.deepEqual(replaceMagics(code, magics).split('\n'), [
    'a;',
    ';__lstmKernel.whos([]);',
    '  ;__lstmKernel.whos(["Tensor","LSTM","$x"]);',
  ]);
  assert.deepEqual(findMagics('%whos Tensor-3').problem, {
    line: 1,
    column: 1,
    reason: '%whos takes type names (e.g. %whos Tensor LSTM), got "Tensor-3"',
  });
  assert.match(findMagics("%whos 'x")!.problem!.reason, /^%whos: an unclosed quote/);
});

test('refused: unknown magics, cell magics, other npm commands, an uninstall of nothing, an open quote', () => {
  const reason = (code: string) => findMagics(code).problem;
  assert.deepEqual(reason('x;\n  %pip install numpy'), {
    line: 2,
    column: 3,
    reason:
      'Unknown magic %pip: the known magics are %npm install <packages…>, %npm uninstall <packages…> and %whos [types…]',
  });
  assert.match(reason('%%bash\nls')!.reason, /^Cell magics \(%%bash\) are not supported/);
  assert.match(reason('%npm run build')!.reason, /^%npm run: .*run other npm commands in a terminal$/);
  assert.match(reason('%npm')!.reason, /^%npm \(nothing\)/);
  assert.equal(reason('%npm uninstall')!.reason, '%npm uninstall: name the packages to remove');
  assert.match(reason("%npm i 'x")!.reason, /^%npm: an unclosed quote/);
});

test('blankMagics keeps lengths and lines; hasNpmMagic finds %npm lines only', () => {
  const code = 'a;\r\n%npm i x\r\n%foo\nb % 2;';
  const blank = blankMagics(code);
  assert.equal(blank.length, code.length);
  assert.equal(blank, 'a;\r\n        \r\n    \nb % 2;');
  assert.equal(hasNpmMagic(code), true);
  assert.equal(hasNpmMagic('%npmx\n'), false);
  assert.equal(hasNpmMagic("const s = '%npm i x';"), false);
});

test('a %name line inside a template literal or a block comment is text, not a magic', () => {
  const code = [
    'const format = `count:', // 0: a template opens
    '%d items ${ {a: 1}.a }', // 1: inside it (with a `${…}` holding braces)
    '%s done`;', // 2: still inside, then closed
    "const s = '`'; const r = /`/; /*", // 3: a quote and a regex holding backticks, a comment opens
    '%npm install inside-a-comment', // 4
    '*/ const t = `${`nested`}`;', // 5: the comment closes; a nested template opens and closes
    '%npm install real', // 6: a magic
    "const u = 'it''s'; // `", // 7: a backtick in a line comment
    '%npm i also-real', // 8
  ].join('\n');
  const { magics, problem } = findMagics(code);
  assert.equal(problem, null);
  assert.deepEqual(
    magics.map((m) => m.line),
    [7, 9],
  );
  assert.equal(blankMagics(code).split('\n')[1], '%d items ${ {a: 1}.a }');
  assert.equal(hasNpmMagic('const x = `\n%npm i y\n`;'), false);
});

test('magicCompletionsAt: a % being typed at a line start, outside templates and comments, and where it starts', () => {
  const at = (code: string) => magicCompletionsAt(code, code.length);
  assert.deepEqual(
    at('%')?.items.map((m) => m.text),
    ['%npm install ', '%npm uninstall ', '%whos'],
  );
  assert.equal(at('%')?.start, 0);
  const npm = at('const a = 1;\n  %np');
  assert.deepEqual(
    npm?.items.map((m) => m.text),
    ['%npm install ', '%npm uninstall '],
  );
  assert.equal(npm?.start, 'const a = 1;\n  '.length);
  assert.deepEqual(
    at('%npm i')?.items.map((m) => m.text),
    ['%npm install '],
  );
  assert.equal(at('%whos'), null, 'typed in full');
  assert.equal(at('%pip'), null, 'no magic starts so');
  assert.equal(at('a % 2'), null, 'a remainder, not a line start');
  assert.equal(at('const t = `\n%'), null, 'inside a template literal');
  assert.equal(at('/* note\n%'), null, 'inside a block comment');
  // The offset counts: what follows the cursor is not typed yet.
  assert.deepEqual(
    magicCompletionsAt('%wh\nlater', 3)?.items.map((m) => m.text),
    ['%whos'],
  );
});
