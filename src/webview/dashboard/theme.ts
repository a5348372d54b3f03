/**
 * The charts' colours and font, read from VS Code's `--vscode-*` variables (a canvas cannot use CSS
 * variables itself). Read again when the theme changes (VS Code rewrites the variables on <html>
 * and the theme class on <body>), so dark, light and high-contrast themes all draw readably.
 */
export interface ChartTheme {
  total: string;
  errors: string;
  latency: string;
  /** Axis labels and ticks. */
  axis: string;
  grid: string;
  /** A canvas font: `12px <family>`. */
  font: string;
}

/** The first variable that is set, else the fallback. */
function first(read: (name: string) => string, names: string[], fallback: string): string {
  for (const name of names) {
    const value = read(name).trim();
    if (value) return value;
  }
  return fallback;
}

/** @param read a variable's value (`getPropertyValue` on <html>'s computed style), '' when unset */
export function chartTheme(read: (name: string) => string): ChartTheme {
  const family = first(read, ['--vscode-font-family'], 'system-ui, sans-serif');
  const size = first(read, ['--vscode-font-size'], '13px');
  const smaller = /^(\d+(?:\.\d+)?)px$/.exec(size);
  return {
    total: first(read, ['--vscode-charts-blue', '--vscode-textLink-foreground', '--vscode-focusBorder'], '#3794ff'),
    errors: first(read, ['--vscode-charts-red', '--vscode-errorForeground'], '#f14c4c'),
    latency: first(read, ['--vscode-charts-purple', '--vscode-charts-orange', '--vscode-foreground'], '#b180d7'),
    axis: first(read, ['--vscode-descriptionForeground', '--vscode-foreground'], '#9d9d9d'),
    grid: first(read, ['--vscode-editorWidget-border', '--vscode-widget-border', '--vscode-contrastBorder'], 'rgba(128,128,128,0.25)'),
    font: `${smaller ? Math.max(9, Number(smaller[1]) - 2) : 11}px ${family}`,
  };
}

/** Calls `onChange` when VS Code switches the theme (variables on <html>, the theme class on <body>). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => observer.disconnect();
}
