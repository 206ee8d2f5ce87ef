/**
 * A model's summary, as Keras' model.summary() and torchinfo give one: per module its
 * description (variant, layers, directions, dropout), dtype and engine, then each parameter
 * tensor's name, shape and element count, a subtotal per layer, and the total; a recurrent
 * model's active interventions are listed under its title. What a cell shows
 * for a model, a layer or `[model, head]`: aligned text, and an HTML table that takes VS Code's
 * theme colours (CSS variables), built from escaped text only, with no script.
 */
import { Embedding, Linear, RecurrentModel, type Tensor } from '../../core/index';
import { alignedText } from '../../core/host';
import { escapeHtml as escape, THEMED_TABLE_STYLE, thousands } from './table';

type Summarized = RecurrentModel | Linear | Embedding;

interface Row {
  name: string;
  shape: string;
  count: number;
}

interface Section {
  title: string;
  /** The active interventions, as text (`h units 3, 7 of layer 0 zeroed`). */
  interventions: string[];
  /** Rows of parameters, each group (a layer) followed by its subtotal. */
  groups: { label: string; rows: Row[]; count: number }[];
  count: number;
}

export interface ModelSummary {
  sections: Section[];
  total: number;
}

function isSummarized(value: unknown): value is Summarized {
  return value instanceof RecurrentModel || value instanceof Linear || value instanceof Embedding;
}

/** The summary of a model, a layer, or an array of them (`[model, head]`); null for anything else. */
export function modelSummary(value: unknown): ModelSummary | null {
  const modules = Array.isArray(value) ? value : [value];
  if (modules.length === 0 || !modules.every(isSummarized)) return null;
  const sections = modules.map(section);
  return { sections, total: sections.reduce((sum, s) => sum + s.count, 0) };
}

function section(module: Summarized): Section {
  const facts = [module.dtype, module instanceof RecurrentModel ? `${module.engine} engine` : null].filter(Boolean);
  const groups: Section['groups'] = [];
  for (const [name, tensor] of module.namedParameters() as Array<[string, Tensor]>) {
    // Recurrent parameters end in _l{k} (and _reverse): one group per layer.
    const layer = /_l(\d+)(_reverse)?$/.exec(name);
    const label = layer ? `layer ${layer[1]}` : 'parameters';
    let group = groups.at(-1);
    if (!group || group.label !== label) groups.push((group = { label, rows: [], count: 0 }));
    group.rows.push({ name, shape: `[${tensor.shape.join(', ')}]`, count: tensor.size });
    group.count += tensor.size;
  }
  const count = groups.reduce((sum, g) => sum + g.count, 0);
  const interventions = module instanceof RecurrentModel ? module.interventions.map(String) : [];
  return { title: `${module.toString()} · ${facts.join(' · ')}`, interventions, groups, count };
}

/** The summary as aligned text: name, shape and count columns, subtotals and the total. */
export function summaryText(summary: ModelSummary): string {
  const lines: (string | string[])[] = [['parameter', 'shape', 'count']];
  for (const s of summary.sections) {
    lines.push(s.title);
    for (const fix of s.interventions) lines.push(`  intervention: ${fix}`);
    for (const group of s.groups) {
      for (const r of group.rows) lines.push([`  ${r.name}`, r.shape, thousands(r.count)]);
      if (s.groups.length > 1) lines.push([`    ${group.label}`, '', thousands(group.count)]);
    }
  }
  const totalLabel = summary.sections.length > 1 ? `total (${summary.sections.length} modules)` : 'total';
  lines.push([totalLabel, '', thousands(summary.total)]);
  return alignedText(lines, [2]);
}

/**
 * The summary as an HTML table in VS Code's colours: text from the editor's foreground, rules and
 * the header from the widget border and the editor's line-highlight, so light, dark and
 * high-contrast themes all read. Every piece of text is escaped; there is no script.
 */
export function summaryHtml(summary: ModelSummary): string {
  const cell = (text: string, attrs = '') => `<td${attrs}>${escape(text)}</td>`;
  const number = (n: number) => cell(thousands(n), ' class="n"');
  const body: string[] = [];
  for (const s of summary.sections) {
    body.push(`<tr class="module"><th colspan="3">${escape(s.title)}</th></tr>`);
    for (const fix of s.interventions)
      body.push(`<tr class="intervention"><td colspan="3">${escape(`intervention: ${fix}`)}</td></tr>`);
    for (const group of s.groups) {
      for (const r of group.rows) body.push(`<tr>${cell(r.name)}${cell(r.shape)}${number(r.count)}</tr>`);
      if (s.groups.length > 1) body.push(`<tr class="sub">${cell(group.label)}${cell('')}${number(group.count)}</tr>`);
    }
  }
  const totalLabel = summary.sections.length > 1 ? `total (${summary.sections.length} modules)` : 'total';
  body.push(`<tr class="total">${cell(totalLabel)}${cell('')}${number(summary.total)}</tr>`);
  const style =
    THEMED_TABLE_STYLE('lstm-summary') +
    [
      '.lstm-summary thead th{font-weight:bold}',
      '.lstm-summary tr.module th{font-weight:bold;background:var(--vscode-editor-lineHighlightBackground,transparent)}',
      '.lstm-summary tr.sub td{font-style:italic}',
      '.lstm-summary tr.intervention td{color:var(--vscode-editorWarning-foreground,inherit)}',
      '.lstm-summary tr.total td{font-weight:bold}',
    ].join('');
  return (
    `<style>${style}</style><table class="lstm-summary">` +
    `<thead><tr><th>parameter</th><th>shape</th><th class="n">count</th></tr></thead>` +
    `<tbody>${body.join('')}</tbody></table>`
  );
}
