/** VS Code's theme, read from the CSS variables the notebook webview defines. */
import { LIGHT_THEME, type Theme } from '../charts/index';

export function currentTheme(): Theme {
  const style = getComputedStyle(document.body);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const highContrast =
    document.body.classList.contains('vscode-high-contrast') ||
    document.body.classList.contains('vscode-high-contrast-light');
  const foreground = css('--vscode-editor-foreground', LIGHT_THEME.foreground);
  return {
    foreground,
    background: 'transparent',
    grid: highContrast
      ? foreground
      : css('--vscode-editorWidget-border', css('--vscode-panel-border', LIGHT_THEME.grid)),
    font: css('--vscode-font-family', LIGHT_THEME.font),
    palette: LIGHT_THEME.palette,
  };
}

/** Calls `onChange` when VS Code switches theme (it changes the body's classes). */
export function watchTheme(onChange: () => void): () => void {
  let last = document.body.className;
  const observer = new MutationObserver(() => {
    if (document.body.className !== last) {
      last = document.body.className;
      onChange();
    }
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
