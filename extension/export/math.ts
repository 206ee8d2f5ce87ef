/**
 * TeX math in markdown cells, as Jupyter writes it: `$…$` inline and `$$…$$` displayed, turned
 * into MathML by Temml when the page is written. Browsers draw MathML themselves, with no fonts,
 * styles or script to load; a formula Temml cannot parse shows as its TeX, marked.
 */
import type MarkdownIt from 'markdown-it';
import type { StateInline } from 'markdown-it';
import temml from 'temml';

function mathRule(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src[pos] !== '$') return false;
  const display = src[pos + 1] === '$';
  const open = display ? 2 : 1;
  let end = pos + open;
  if (!display && /\s/.test(src[end] ?? ' ')) return false; // "$ 5" is a price, not math
  for (;;) {
    end = src.indexOf(display ? '$$' : '$', end);
    if (end < 0) return false;
    if (src[end - 1] === '\\') {
      end += 1;
      continue;
    }
    break;
  }
  const tex = src.slice(pos + open, end);
  if (!tex.trim() || (!display && /\s$/.test(tex))) return false;
  if (!silent) {
    const token = state.push('math', 'math', 0);
    token.content = tex;
    token.meta = { display };
  }
  state.pos = end + open;
  return true;
}

export function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('escape', 'math', mathRule);
  md.renderer.rules.math = (tokens, index) => {
    const { content, meta } = tokens[index];
    try {
      return temml.renderToString(content, { displayMode: meta.display, throwOnError: true });
    } catch {
      const tex = md.utils.escapeHtml(meta.display ? `$$${content}$$` : `$${content}$`);
      return `<code class="math-error" title="TeX this page could not typeset">${tex}</code>`;
    }
  };
}
