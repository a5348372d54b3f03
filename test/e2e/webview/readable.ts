/**
 * "Readable", measured: every visible piece of text in a view (its own DOM and the shadow roots of
 * the vscode-elements in it) against the background it is drawn on, as WCAG 2 computes contrast.
 * The colours are the computed ones, so a `--vscode-*` variable the theme lacks (an element's dark
 * fallback on a light page, say) shows up as a low ratio. Disabled controls are left out (WCAG
 * exempts them).
 */
import type { Page } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/** Text below `minimum` in the page, the worst first (WCAG AA: 4.5 for body text, 3 for large text and controls). */
export async function lowContrast(page: Page, minimum: number): Promise<LowContrast[]> {
  const found = await page.evaluate((min) => {
    const parse = (css: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(css);
      if (!m) return [0, 0, 0, 0];
      const parts = m[1]!
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    };
    const over = (top: number[], under: number[]) => top.slice(0, 3).map((c, i) => c * top[3]! + under[i]! * (1 - top[3]!));
    const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
    /** The opaque colour behind `el`: its own background and its ancestors', blended from the root down. */
    const backgroundOf = (el: Element): number[] => {
      const layers: number[][] = [];
      for (let at: Element | null = el; at; at = parentOf(at)) {
        const bg = parse(getComputedStyle(at).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let base = [255, 255, 255];
      for (const layer of layers.reverse()) base = over(layer, base);
      return base;
    };
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: number[], b: number[]) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const out: Array<{ text: string; ratio: number; color: string; background: string }> = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const own = Array.from(el.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? '')
          .join('')
          .trim();
        if (!own || ['SCRIPT', 'STYLE', 'OPTION'].includes(el.tagName)) continue;
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
        let disabled = false;
        for (let at: Element | null = el; at; at = parentOf(at)) if (at.hasAttribute('disabled')) disabled = true;
        if (disabled) continue;
        const background = backgroundOf(el);
        const fg = parse(style.color);
        const color = over(fg, background);
        const r = ratio(color, background);
        if (r < min)
          out.push({
            text: own.slice(0, 60),
            ratio: Math.round(r * 100) / 100,
            color: style.color,
            background: `rgb(${background.map(Math.round).join(', ')})`,
          });
      }
    };
    visit(document);
    return out;
  }, minimum);
  return found.sort((a, b) => a.ratio - b.ratio);
}
