/**
 * clearOutput() (Jupyter's clear_output) through the real engine: the clear reaches the host in
 * order with the cell's other outputs, even behind a chart still rendering, and the headless
 * runner's collector applies it — at once, or with `wait` just before the next output (an update
 * of a display shown before is not one); a cleared display's updates are not kept, and a wait
 * still pending when the cell ends clears nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OutputCollector, type OutputJson } from '../../../extension/kernel/nbformat';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

let session: KernelSession;
before(async () => {
  session = newSession();
  await session.whenReady();
});
after(() => session.dispose());

/** An nbformat output in one line: its type and its text. */
function shown(o: OutputJson): string {
  if (o.output_type === 'stream') return `${o.name}: ${o.text.join('')}`;
  if (o.output_type === 'error') return `error: ${o.evalue}`;
  return `${o.output_type}: ${(o.data['text/plain'] as string[]).join('')}`;
}

/** Runs a cell; its outputs as the session gave them, and what the runner's collector held after each. */
async function collect(code: string): Promise<{ types: string[]; after: string[][] }> {
  const r = await run(session, code);
  assert.equal(r.ok, true, r.error?.stack);
  const collector = new OutputCollector(1);
  const afterEach = r.outputs.map((o) => {
    collector.add(o);
    return collector.outputs.map(shown);
  });
  const types = r.outputs.map((o) =>
    o.type === 'clear' ? `clear${o.wait ? ' wait' : ''}` : o.type === 'display' && o.update ? 'update' : o.type,
  );
  return { types, after: afterEach };
}

test('clearOutput() goes out after what was shown before it, a chart still rendering its SVG included, and the runner drops those outputs', async () => {
  const { types, after } = await collect(
    [
      "import { plot, clearOutput } from 'lstm-notebook';",
      "console.log('before');",
      "display(plot.loss([{ name: 'run', loss: [3, 2, 1] }]));",
      'clearOutput();',
      "console.log('after');",
      "'value'",
    ].join('\n'),
  );
  assert.deepEqual(types, ['stream', 'display', 'clear', 'stream', 'result']);
  // A stream after the clear starts a new output, not the tail of the cleared one.
  assert.deepEqual(after.at(-1), ['stdout: after\n', "execute_result: 'value'"]);
  assert.equal(after[1].length, 2, 'the chart was collected before the clear');
});

test('with wait, the outputs stay until the next output replaces them; an update of a shown display does not clear', async () => {
  const { types, after } = await collect(
    [
      "const h = display('chart v1');",
      'clearOutput({ wait: true });',
      'await new Promise((r) => setTimeout(r, 150));',
      "h.update('chart v2');", // 150 ms after the display: sent at once
      "console.log('new');",
      "h.update('chart v3');", // within 100 ms of v2: held, sent when the cell ends — to a cleared display
    ].join('\n'),
  );
  assert.deepEqual(types, ['display', 'clear wait', 'update', 'stream', 'update']);
  assert.deepEqual(after, [
    ["display_data: 'chart v1'"],
    ["display_data: 'chart v1'"],
    ["display_data: 'chart v2'"],
    ['stdout: new\n'],
    ['stdout: new\n'],
  ]);
});

test('a wait still pending when the cell ends clears nothing; a loop that clears and redraws keeps its last frame', async () => {
  const pending = await collect("console.log('kept');\nclearOutput({ wait: true });");
  assert.deepEqual(pending.after.at(-1), ['stdout: kept\n']);
  const loop = await collect(
    'for (let frame = 0; frame < 3; frame++) {\n  clearOutput({ wait: true });\n  display(`frame ${frame}`);\n}',
  );
  assert.deepEqual(loop.after.at(-1), ["display_data: 'frame 2'"]);
});

test('clearOutput is the same function as a global and from the module, and refuses options it does not know', async () => {
  assert.equal(
    (await run(session, "import { clearOutput as imported } from 'lstm-notebook';\nimported === clearOutput")).value,
    'true',
  );
  for (const [call, message] of [
    ['clearOutput(true)', 'clearOutput: expected options like { wait: true }, got true'],
    ['clearOutput({ wiat: true })', 'clearOutput: unknown option "wiat"; expected one of wait'],
    ["clearOutput({ wait: 'yes' })", 'clearOutput: wait must be true or false, got "yes"'],
  ]) {
    const r = await run(session, `console.log('shown');\n${call};`);
    assert.equal(r.ok, false, call);
    assert.equal(r.error?.message, message);
    assert.ok(!r.outputs.some((o) => o.type === 'clear'), `${call} cleared the outputs`);
  }
});
