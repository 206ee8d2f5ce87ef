/**
 * The Notebook scope's rewriting of DAP messages, without VS Code: js-debug's Global scope is
 * renamed, its answer splits into the notebook's variables and one group of the kernel's own
 * globals, and a request for the group goes to js-debug under the real reference. (Inside VS Code
 * with js-debug: test/integration/debug.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GROUPED_GLOBALS, notebookScope, type DapMessage } from '../../../extension/debug-notebook-scope';

const variable = (name: string) => ({ name, value: `${name}'s value`, variablesReference: 0 });

test('Global becomes Notebook: the notebook’s names first, the kernel’s in one group that opens under the real reference', () => {
  const kernel = new Set(['setTimeout', 'display']);
  const scope = notebookScope(() => kernel);
  const scopes: DapMessage = {
    type: 'response',
    command: 'scopes',
    body: {
      scopes: [
        { name: 'Local', variablesReference: 3 },
        { name: 'Global', variablesReference: 7 },
      ],
    },
  };
  scope.response(scopes);
  assert.deepEqual(
    (scopes.body as { scopes: { name: string }[] }).scopes.map((s) => s.name),
    ['Local', 'Notebook'],
  );

  const answer = () => ({
    variables: ['model', 'setTimeout', 'x', 'display', 'Symbol(Symbol.toStringTag)', '[[Prototype]]'].map(variable),
  });
  // The scope itself: the notebook's two, then the group.
  const open: DapMessage = { type: 'request', seq: 10, command: 'variables', arguments: { variablesReference: 7 } };
  scope.request(open);
  const opened: DapMessage = { type: 'response', request_seq: 10, command: 'variables', body: answer() };
  scope.response(opened);
  const shown = (opened.body as { variables: { name: string; value: string; variablesReference: number }[] }).variables;
  assert.deepEqual(
    shown.map((v) => v.name),
    ['model', 'x', 'Node.js globals'],
  );
  assert.equal(shown[2].value, '4 names');
  assert.equal(shown[2].variablesReference, GROUPED_GLOBALS + 7);

  // The group: sent to js-debug as the Global scope, answered with the kernel's names only.
  const group: DapMessage = {
    type: 'request',
    seq: 11,
    command: 'variables',
    arguments: { variablesReference: GROUPED_GLOBALS + 7 },
  };
  scope.request(group);
  assert.equal((group.arguments as { variablesReference: number }).variablesReference, 7);
  const grouped: DapMessage = { type: 'response', request_seq: 11, command: 'variables', body: answer() };
  scope.response(grouped);
  assert.deepEqual(
    (grouped.body as { variables: { name: string }[] }).variables.map((v) => v.name),
    ['setTimeout', 'display', 'Symbol(Symbol.toStringTag)', '[[Prototype]]'],
  );

  // Another scope's variables pass untouched.
  const local: DapMessage = { type: 'request', seq: 12, command: 'variables', arguments: { variablesReference: 3 } };
  scope.request(local);
  const localAnswer: DapMessage = { type: 'response', request_seq: 12, command: 'variables', body: answer() };
  scope.response(localAnswer);
  assert.equal((localAnswer.body as { variables: unknown[] }).variables.length, 6);
});

test('without the kernel’s names (a run already ended) answers are left as js-debug gave them', () => {
  const scope = notebookScope(() => undefined);
  scope.response({
    type: 'response',
    command: 'scopes',
    body: { scopes: [{ name: 'Global', variablesReference: 2 }] },
  });
  scope.request({ type: 'request', seq: 1, command: 'variables', arguments: { variablesReference: 2 } });
  const answer: DapMessage = {
    type: 'response',
    request_seq: 1,
    command: 'variables',
    body: { variables: [variable('a'), variable('setTimeout')] },
  };
  scope.response(answer);
  assert.equal((answer.body as { variables: unknown[] }).variables.length, 2);
});
