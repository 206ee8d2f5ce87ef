/**
 * A data set's first rows, as pandas users expect from a DataFrame in Jupyter: what a cell
 * shows for a SequenceDataset (its sizes, then the first 5 samples — each sequence's first
 * steps and last step, and its target; text for a character data set) and for a CharCorpus
 * (its size, vocabulary and a text excerpt). Aligned text, and an HTML table in VS Code's theme
 * colours built from escaped text only.
 */
import { CharCorpus, SequenceDataset } from '../../core/index';
import { alignedText } from '../../core/host';
import { escapeHtml, tableHtml, thousands } from './table';

const ROWS = 5;
const STEPS = 3;
const FEATURES = 4;
const EXCERPT = 200;

export interface Preview {
  title: string;
  /** Column headers and rows, or a text excerpt (a corpus). */
  columns?: string[];
  rows?: string[][];
  excerpt?: string;
  note?: string;
}

/** The preview of a SequenceDataset or a CharCorpus; null for anything else. */
export function dataPreview(value: unknown): Preview | null {
  if (value instanceof CharCorpus) {
    const text = value.text.length > EXCERPT ? `${value.text.slice(0, EXCERPT)}…` : value.text;
    return {
      title: `CharCorpus · ${thousands(value.length)} characters · ${value.vocabSize} symbols`,
      excerpt: text,
    };
  }
  if (!(value instanceof SequenceDataset)) return null;
  const vocab = Array.isArray(value.meta.vocab) ? (value.meta.vocab as string[]) : null;
  const asText = vocab !== null && vocab.length === value.inputSize;
  const rows: string[][] = [];
  for (let n = 0; n < Math.min(ROWS, value.size); n++) {
    const { inputs, targets } = value.batch(n, n + 1); // inputs [T, 1, I], targets [1, …] or [T, 1, …]
    rows.push([
      String(n),
      asText ? decoded(inputs.data, vocab, value.inputSize) : steps(inputs.data, value),
      target(targets.data, value, asText ? vocab : null),
    ]);
  }
  const kind =
    value.classes !== undefined
      ? `${value.classes} classes`
      : `${value.outputSize} value${value.outputSize === 1 ? '' : 's'}`;
  return {
    title: `SequenceDataset "${value.name}" · ${thousands(value.size)} sequences × ${value.length} steps × ${value.inputSize} features · target ${value.target}, ${kind}`,
    columns: [
      '#',
      asText ? 'inputs (as text)' : `inputs (first ${Math.min(STEPS, value.length)} steps … last)`,
      asText ? 'targets (as text)' : 'target',
    ],
    rows,
    note: value.size > ROWS ? `… ${thousands(value.size - ROWS)} more` : undefined,
  };
}

/** One-hot steps back to characters; newlines shown as ↵. */
function decoded(data: ArrayLike<number>, vocab: string[], V: number): string {
  let text = '';
  for (let t = 0; t * V < data.length; t++) {
    let best = 0;
    for (let v = 1; v < V; v++) if (data[t * V + v] > data[t * V + best]) best = v;
    text += vocab[best];
  }
  return visible(text);
}

function visible(text: string): string {
  return text.replace(/\n/g, '↵').replace(/\t/g, '→');
}

/** "[0.123, 1] [0.85, 0] … [0.33, 0]": the first steps and the last, 3 decimals, 4 features at most. */
function steps(data: ArrayLike<number>, d: SequenceDataset): string {
  const I = d.inputSize;
  const step = (t: number) => {
    const shown = Array.from({ length: Math.min(I, FEATURES) }, (_, i) => number(data[t * I + i]));
    return `[${shown.join(', ')}${I > FEATURES ? ', …' : ''}]`;
  };
  const first = Array.from({ length: Math.min(STEPS, d.length) }, (_, t) => step(t));
  return d.length > STEPS ? `${first.join(' ')} … ${step(d.length - 1)}` : first.join(' ');
}

function target(data: ArrayLike<number>, d: SequenceDataset, vocab: string[] | null): string {
  if (vocab) return visible(Array.from(data, (c) => vocab[c]).join(''));
  const values = Array.from(data, number);
  if (d.target === 'sequence') {
    const shown = values.slice(0, STEPS * Math.max(1, d.outputSize));
    return `${shown.join(' ')}${values.length > shown.length ? ' …' : ''}`;
  }
  return values.length === 1 ? values[0] : `[${values.join(', ')}]`;
}

/** 3 decimals, trailing zeros dropped: 0.123, 1, −0.5. */
function number(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}

/** The preview as text: the title, then aligned columns (or the excerpt). */
export function previewText(p: Preview): string {
  if (p.excerpt !== undefined) return `${p.title}\n${p.excerpt}`;
  return alignedText([p.title, p.columns!, ...p.rows!, ...(p.note ? [p.note] : [])], [0]);
}

/** The preview as HTML: a table (or a <pre> excerpt) under its title, escaped text only. */
export function previewHtml(p: Preview): string {
  if (p.excerpt !== undefined)
    return tableHtml(p.title, null, null) + `<pre class="lstm-excerpt">${escapeHtml(p.excerpt)}</pre>`;
  return tableHtml(p.title, p.columns!, p.rows!) + (p.note ? `<div class="lstm-note">${escapeHtml(p.note)}</div>` : '');
}
