/// <reference lib="dom" />
/**
 * A tiny element builder: props set as properties when the element has one (value, checked,
 * open, … of the vscode-elements), else as attributes; `on<event>` adds a listener; strings become
 * text nodes. No innerHTML anywhere, so a tool description or a stderr line is never markup.
 */
export type Child = Node | string | number | null | undefined | false | Child[];

export function h(tag: string, props: Record<string, unknown> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'class') element.className = String(value);
    else if (key === 'slot' || key.startsWith('aria-') || key.startsWith('data-') || !(key in element))
      element.setAttribute(key, value === true ? '' : String(value));
    else (element as unknown as Record<string, unknown>)[key] = value;
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces the children of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A codicon (`spin` for an animated one). */
export function icon(name: string, options: { spin?: boolean; label?: string; onClick?: () => void } = {}): HTMLElement {
  return h('vscode-icon', {
    name,
    'data-icon': name,
    spin: options.spin,
    label: options.label,
    title: options.label,
    actionIcon: options.onClick !== undefined,
    'onvsc-click': options.onClick,
  });
}
