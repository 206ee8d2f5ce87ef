/**
 * The exported page's only style sheet, inline. The notebook's HTML tables (plot/format/) colour
 * themselves with VS Code's theme variables; here they get the values of VS Code's Light+ theme,
 * as the notebook's output view would give them. Code colours follow Light+ too (highlight.js's
 * classes). System fonts only: the page loads nothing.
 */
export const PAGE_CSS = `
:root {
  --vscode-editor-foreground: #3b3b3b;
  --vscode-editor-background: #ffffff;
  --vscode-editor-font-family: ui-monospace, "Cascadia Code", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  --vscode-editor-font-size: 13px;
  --vscode-editorWidget-border: #c8c8c8;
  --vscode-contrastBorder: transparent;
  --vscode-editor-lineHighlightBackground: #f5f5f5;
  --vscode-editorWarning-foreground: #bf8803;
  --vscode-errorForeground: #a1260d;
  --code-background: #f7f7f7;
  color-scheme: light;
}
body { margin: 0; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.notebook { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
.cell { margin: 14px 0; }
.cell.markdown { padding: 0 0 0 76px; }
.cell.markdown h1, .cell.markdown h2, .cell.markdown h3 { line-height: 1.25; margin: 1.2em 0 0.5em; }
.cell.markdown code { background: var(--code-background); padding: 1px 4px; border-radius: 3px; font-size: 0.9em;
  font-family: var(--vscode-editor-font-family); }
.cell.markdown pre code { display: block; padding: 8px 10px; overflow-x: auto; }
.cell.markdown table { border-collapse: collapse; }
.cell.markdown th, .cell.markdown td { border: 1px solid var(--vscode-editorWidget-border); padding: 3px 8px; }
.cell.markdown blockquote { margin: 0; padding-left: 12px; border-left: 3px solid var(--vscode-editorWidget-border); }
.cell.markdown img { max-width: 100%; }
math[display="block"] { margin: 0.6em 0; }
.math-error { color: var(--vscode-errorForeground); }
.input, .output { display: flex; align-items: flex-start; }
.prompt { flex: 0 0 70px; margin-right: 6px; text-align: right; color: #6a6a6a;
  font: 12px/1.5 var(--vscode-editor-font-family); padding-top: 8px; }
.output .prompt { padding-top: 2px; }
.input pre, .output-body { flex: 1 1 auto; min-width: 0; }
pre { margin: 0; font: var(--vscode-editor-font-size)/1.45 var(--vscode-editor-font-family); white-space: pre-wrap;
  overflow-wrap: anywhere; }
pre.source { background: var(--code-background); border: 1px solid #e5e5e5; border-radius: 4px; padding: 8px 10px;
  white-space: pre; overflow-x: auto; }
.outputs { margin-top: 6px; }
.output { margin: 4px 0; }
.output-body { overflow-x: auto; }
pre.stream, pre.text { padding: 2px 0; }
pre.stderr { background: #fff5f5; }
pre.error { color: var(--vscode-errorForeground); background: #fff5f5; padding: 6px 8px; border-left: 3px solid #e51400; }
pre.missing { color: #6a6a6a; font-style: italic; }
figure.chart { margin: 0; }
img.image { display: block; max-width: 100%; height: auto; }
.html { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
.hljs-keyword, .hljs-literal, .hljs-built_in.language_ { color: #0000ff; }
.hljs-title.function_, .hljs-title { color: #795e26; }
.hljs-title.class_, .hljs-type { color: #267f99; }
.hljs-string, .hljs-regexp, .hljs-template-tag { color: #a31515; }
.hljs-subst { color: #001080; }
.hljs-number { color: #098658; }
.hljs-comment, .hljs-doctag { color: #008000; }
.hljs-variable, .hljs-params, .hljs-property, .hljs-attr { color: #001080; }
.hljs-built_in { color: #267f99; }
.hljs-meta { color: #af00db; }
@media print { .notebook { max-width: none; } pre.source { white-space: pre-wrap; } }
`;
