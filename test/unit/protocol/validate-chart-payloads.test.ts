/**
 * validatePayload is the renderer's only guard: it must never throw, must name what it
 * expected, and whatever it accepts must be drawable. Every field of a real payload of each
 * kind is deleted or replaced by a wrong value; the verdicts are checked by those rules, and
 * every accepted payload goes through the spec builder, vega-lite and the heatmap pixels.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from 'vega-lite';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';
import { gatesPayload, gradientsPayload, lossPayload, saturationPayload, statesPayload } from '../../../plot/builders';
import { boxPayload } from '../../../plot/box';
import {
  MIME,
  SCHEMA_VERSION,
  type ChartKind,
  type ChartPayload,
  type GatesPayload,
} from '../../../protocol/chart-payloads';
import { validatePayload } from '../../../protocol/validate-chart-payloads';
import { textPayload } from '../../../plot/text-view';
import { colourTable, heatmapPixels, LIGHT_THEME, panelValues, specFor, textViewHtml } from '../../../charts/index';

function payloads(): Record<ChartKind, unknown> {
  seed(9);
  const trace = new LSTM({ inputSize: 2, hiddenSize: 3 }).forward(Tensor.randn([4, 1, 2]), { trace: true }).trace!;
  const norms = {
    kind: 'lstm' as const,
    filled: true,
    layers: [{ layer: 0, direction: 'forward' as const, h: Float64Array.from([1, 2]), c: Float64Array.from([3, 4]) }],
  };
  const all = {
    // Named axes too (a tensor heatmap's), so that their checks are mutated as well.
    gates: { ...gatesPayload(trace, { tokens: 'abcd' }), axes: { x: 'column', y: 'row' } },
    states: statesPayload(trace, { units: [0, 2] }),
    loss: lossPayload([
      { name: 'train', loss: [3, 2, 1] },
      { name: 'validation', x: [2], y: [2.5] },
    ]),
    gradients: gradientsPayload([{ name: 'LSTM', norms }]),
    saturation: saturationPayload(trace),
    // A log scale, so that its check (values above 0) is mutated as well.
    box: {
      ...boxPayload([
        { name: 'LSTM', values: [0.004, 0.5, 0.02] },
        { name: 'GRU', values: [0.3] },
      ]),
      groups: [
        { name: 'LSTM', values: [0.004, 0.5, 0.02], labels: ['seed 0', 'seed 1', 'seed 2'] },
        { name: 'GRU', values: [0.3], labels: ['seed 0'] },
      ],
    },
    text: textPayload(trace, { text: 'ab\nc', top: 2 }),
  };
  return JSON.parse(JSON.stringify(all));
}

const WRONG: Array<[string, unknown]> = [
  ['null', null],
  ['a string', '<b>x</b>'],
  ['an object', {}],
  ['a list', []],
  ['-1', -1],
  ['1e9', 1e9],
  ['1.5', 1.5],
  ['true', true],
];

/** Every mutation of `value`: each field (lists: first and last element) deleted or replaced. */
function* mutations(value: unknown, path = ''): Generator<[string, (root: unknown) => unknown]> {
  if (typeof value !== 'object' || value === null) return;
  const keys = Array.isArray(value) ? [...new Set([0, value.length - 1])].filter((k) => k >= 0) : Object.keys(value);
  for (const key of keys) {
    const at = `${path}/${key}`;
    const set = (root: unknown, v: unknown, remove: boolean) => {
      const copy = structuredClone(root);
      const parts = at.split('/').slice(1);
      let node = copy as Record<string, unknown>;
      for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
      const last = parts[parts.length - 1];
      if (remove) {
        if (Array.isArray(node)) node.splice(Number(last), 1);
        else delete node[last];
      } else node[last] = v;
      return copy;
    };
    yield [`${at} removed`, (root) => set(root, undefined, true)];
    for (const [name, v] of WRONG) yield [`${at} = ${name}`, (root) => set(root, v, false)];
    yield* mutations((value as Record<string, unknown>)[key], at);
  }
}

// low / high: payloads saved before the saturation thresholds were carried have none (0.1 / 0.9 then).
const OPTIONAL = new Set(['tokens', 'axes', 'source', 'c', 'pca', 'xTitle', 'yTitle', 'low', 'high', 'labels']);

/** Why a mutation must be refused: a required field gone, or a list/object of another type. */
function mustRefuse(root: unknown, what: string): string | null {
  const [, path, change] = /^(\S+) (.*)$/.exec(what)!;
  const parts = path.split('/').slice(1);
  let original: unknown = root;
  for (const p of parts) original = (original as Record<string, unknown>)[p];
  const key = parts[parts.length - 1];
  const inList = /^\d+$/.test(key);
  if (change === 'removed') return inList || OPTIONAL.has(key) ? null : 'a required field was removed';
  const replacement = WRONG.find(([name]) => change === `= ${name}`)![1];
  const shape = (v: unknown) => (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v);
  if (
    (Array.isArray(original) || (typeof original === 'object' && original !== null)) &&
    shape(replacement) !== shape(original)
  )
    return `a ${shape(original)} became ${change}`;
  return null;
}

/** Draws an accepted payload as far as Node can: spec, vega-lite compile, heatmap pixels. */
function draw(p: ChartPayload): void {
  // A text view is HTML: drawing it is building that HTML (what the renderer and the fallback show).
  if (p.kind === 'text') return void textViewHtml(p);
  const spec = specFor(p, { theme: LIGHT_THEME, imageUrl: () => 'data:,' });
  compile(spec as never, { logger: { level: () => 0, error() {}, warn() {}, info() {}, debug() {} } as never });
  if (p.kind === 'gates')
    for (const panel of (p as GatesPayload).panels)
      heatmapPixels(panelValues(panel), p.steps, p.units, panel.range, colourTable('viridis'));
}

test('the real payloads are accepted and drawable', () => {
  for (const [kind, p] of Object.entries(payloads()) as Array<[ChartKind, ChartPayload]>) {
    assert.equal(validatePayload(MIME[kind], p), null, kind);
    draw(p);
  }
});

test('no mutation of a payload makes validation throw, and every accepted one draws', () => {
  const all = payloads();
  let refused = 0;
  let accepted = 0;
  const problems: string[] = [];
  for (const [kind, good] of Object.entries(all) as Array<[ChartKind, unknown]>) {
    for (const [what, mutate] of mutations(good)) {
      const bad = mutate(good);
      const structural = mustRefuse(good, what);
      let verdict: string | null;
      try {
        verdict = validatePayload(MIME[kind], bad);
      } catch (error) {
        problems.push(`${kind} ${what}: validation threw ${(error as Error).message}`);
        continue;
      }
      if (verdict === null) {
        accepted++;
        if (structural) problems.push(`${kind} ${what}: accepted, but ${structural}`);
        try {
          draw(bad as ChartPayload);
        } catch (error) {
          problems.push(`${kind} ${what}: accepted but not drawable (${(error as Error).message})`);
        }
      } else {
        refused++;
        if (!/expected|newer|unknown/.test(verdict))
          problems.push(`${kind} ${what}: the verdict names nothing expected: ${verdict}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  // Numbers replaced by other numbers (or null, JSON's NaN) are data, and accepted; what must
  // be refused is checked below.
  assert.ok(refused > 500 && accepted > 100, `${refused} refused, ${accepted} accepted`);
});

test('the verdicts name the field, what was expected and what was given', () => {
  const { gates, loss, states } = payloads() as {
    gates: GatesPayload;
    loss: Record<string, unknown>;
    states: Record<string, unknown>;
  };
  assert.equal(
    validatePayload(MIME.loss, { ...loss, version: SCHEMA_VERSION + 1 }),
    `this output was made by a newer LSTM Notebook (schema version ${SCHEMA_VERSION + 1}); this renderer reads version ${SCHEMA_VERSION}. Update the extension or re-run the cell.`,
  );
  assert.equal(
    validatePayload('application/json', loss),
    `unknown MIME type "application/json"; expected one of ${Object.values(MIME).join(', ')}`,
  );
  assert.equal(validatePayload(MIME.gates, loss), 'expected "kind": "gates", got "loss"');
  assert.equal(
    validatePayload(MIME.gates, { ...gates, units: 4 }),
    'expected panels[0].values to have 16 numbers, got 12',
  );
  assert.equal(
    validatePayload(MIME.states, {
      ...states,
      h: [
        [1, 2, 3, 4],
        [1, 'x', 3, 4],
      ],
    }),
    'expected h[1][1] to be a number, got "x"',
  );
  assert.equal(validatePayload(MIME.loss, 'text'), 'expected a JSON object, got string');
  const box = (payloads() as { box: { groups: Array<{ values: unknown[]; labels?: string[] }> } }).box;
  const boxWith = (change: (g: (typeof box.groups)[number]) => void) => {
    const copy = structuredClone(box);
    change(copy.groups[1]);
    return copy;
  };
  assert.equal(
    validatePayload(
      MIME.box,
      boxWith((g) => (g.values = [0])),
    ),
    'expected groups[1].values[0] to be above 0 on a log scale, got 0',
  );
  assert.equal(
    validatePayload(
      MIME.box,
      boxWith((g) => (g.labels = ['a', 'b'])),
    ),
    'expected groups[1].labels to have 1 strings, got 2',
  );
  assert.equal(validatePayload(MIME.box, { ...box, groups: [] }), 'expected groups to be a non-empty list');
});

test('validatePayload never throws, even when a getter throws null or an error whose message getter throws', () => {
  const throwingNull = {
    get version(): number {
      throw null;
    },
  };
  const nasty = {
    get message(): string {
      throw new Error('no');
    },
  };
  const throwingNasty = {
    get version(): number {
      throw nasty;
    },
  };
  for (const data of [throwingNull, throwingNasty]) {
    let verdict: unknown;
    assert.doesNotThrow(() => (verdict = validatePayload(MIME.gates, data)));
    assert.match(String(verdict), /^expected a chart payload; checking it failed: /);
  }
});
