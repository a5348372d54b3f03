/**
 * A small fake of the `vscode` module for unit tests of src/extension (wired by the `vscode` alias
 * in vitest.config.mts). It implements only what the extension calls, records what it was asked
 * (`fake.calls` in order, messages, clipboard) and lets a test set the editor version, the
 * folders, settings and the answers of prompts. `resetFake()` between tests.
 */
type Listener<T> = (value: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => unknown = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    private readonly text: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path, `file://${path}`);
  }
  static from(parts: { scheme: string; path: string }): Uri {
    return new Uri(parts.scheme, parts.path, `${parts.scheme}:${parts.path}`);
  }
  static parse(text: string): Uri {
    return new Uri(text.split(':')[0]!, '', text);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    const fsPath = [base.fsPath, ...parts].join('/');
    return new Uri(base.scheme, fsPath, `${base.scheme}://${fsPath}`);
  }
  toString(): string {
    return this.text;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class McpHttpServerDefinition {
  constructor(
    readonly label: string,
    public uri: Uri,
    public headers: Record<string, string> = {},
    public version?: string,
  ) {}
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum UIKind {
  Desktop = 1,
  Web = 2,
}
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}

export interface FakeState {
  calls: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  folders: Array<{ uri: Uri; name: string; index: number }> | undefined;
  settings: Record<string, unknown>;
  messages: Array<{ level: 'info' | 'warning' | 'error'; text: string; detail?: string }>;
  /** The item a prompt picks: by label, or a function of the items. */
  answers: { message?: string; quickPick?: (items: unknown[]) => unknown; openExternal?: (url: string) => Promise<boolean> | boolean };
  /** URLs `env.openExternal` was asked to open. */
  opened: string[];
  clipboard: string;
  logLines: string[];
  mcpProviders: Map<string, unknown>;
  statusBarItems: Array<Record<string, unknown>>;
  /** Progress notifications (`withProgress`): title, the messages reported, and whether its task settled. */
  progress: Array<{ title: string; location: unknown; messages: string[]; done: boolean }>;
  /** What `showInputBox` answers (undefined: the user pressed Escape). */
  inputBox: string | undefined;
  /** `window.state.focused`. */
  focused: boolean;
  /** The editor tabs open (`window.tabGroups`, one group). */
  tabs: Array<{ label: string; input: unknown }>;
}

export const fake: FakeState = {} as FakeState;
export function resetFake(): void {
  setVersion('1.103.2');
  Object.assign(fake, {
    calls: [],
    commands: new Map(),
    folders: undefined,
    settings: {},
    messages: [],
    answers: {},
    opened: [],
    clipboard: '',
    logLines: [],
    mcpProviders: new Map(),
    statusBarItems: [],
    progress: [],
    inputBox: undefined,
    focused: true,
    tabs: [],
  } satisfies FakeState);
}

export const foldersChanged = new EventEmitter<{ added: unknown[]; removed: unknown[] }>();
export const filesRenamed = new EventEmitter<{ files: Array<{ oldUri: Uri; newUri: Uri }> }>();
export const windowStateChanged = new EventEmitter<{ focused: boolean }>();
export const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

/** `vscode.version`: a live binding, so `setVersion` before activating changes what the extension reads. */
export let version = '1.103.2';
export function setVersion(next: string): void {
  version = next;
}

function logChannel(name: string) {
  const line = (level: string) => (message: string) => fake.logLines.push(`[${level}] ${message}`);
  return {
    name,
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    appendLine: line('append'),
    show: () => fake.calls.push(`show:${name}`),
    dispose: () => undefined,
  };
}

function message(level: 'info' | 'warning' | 'error') {
  return async (text: string, ...rest: unknown[]) => {
    const options = rest[0] as { detail?: unknown } | undefined;
    const detail = typeof options === 'object' && options !== null && typeof options.detail === 'string' ? options.detail : undefined;
    fake.messages.push({ level, text, ...(detail === undefined ? {} : { detail }) });
    const items = rest.filter((r) => typeof r === 'string');
    return fake.answers.message !== undefined && items.includes(fake.answers.message) ? fake.answers.message : undefined;
  };
}

/** A diff editor tab's input (`vscode.diff`). */
export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

export const window = {
  tabGroups: {
    get all() {
      return [{ tabs: fake.tabs }];
    },
    close: async (tabs: unknown[]) => {
      fake.tabs = fake.tabs.filter((tab) => !tabs.includes(tab));
      return true;
    },
  },
  createOutputChannel: (name: string) => logChannel(name),
  createStatusBarItem: () => {
    const item: Record<string, unknown> = {
      visible: false,
      show: () => void (item.visible = true),
      hide: () => void (item.visible = false),
      dispose: () => undefined,
    };
    fake.statusBarItems.push(item);
    return item;
  },
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  showQuickPick: async (items: unknown[]) => fake.answers.quickPick?.(await items),
  withProgress: (options: { title?: string; location?: unknown }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
    const record = { title: options.title ?? '', location: options.location, messages: [] as string[], done: false };
    fake.progress.push(record);
    const progress = { report: (value: { message?: string }) => value.message !== undefined && record.messages.push(value.message) };
    const token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
    return Promise.resolve(task(progress, token)).finally(() => (record.done = true));
  },
  showInputBox: async () => fake.inputBox,
  get state() {
    return { focused: fake.focused };
  },
  onDidChangeWindowState: windowStateChanged.event,
  registerWebviewViewProvider: (id: string) => {
    fake.calls.push(`view:${id}`);
    return new Disposable();
  },
};

export const commands = {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
    fake.calls.push(`command:${id}`);
    // Windows in one test share this registry: a later registration shadows an earlier one, and
    // disposing it brings the earlier one back (as closing one window leaves the others' commands).
    const previous = fake.commands.get(id);
    fake.commands.set(id, fn);
    return new Disposable(() => {
      if (fake.commands.get(id) !== fn) return;
      if (previous) fake.commands.set(id, previous);
      else fake.commands.delete(id);
    });
  },
  executeCommand: async (id: string, ...args: unknown[]) => {
    fake.calls.push(`execute:${id}`);
    return fake.commands.get(id)?.(...args);
  },
};

export const workspace = {
  get workspaceFolders() {
    return fake.folders;
  },
  getConfiguration: (section: string) => ({
    get: <T>(key: string, fallback: T): T => (`${section}.${key}` in fake.settings ? (fake.settings[`${section}.${key}`] as T) : fallback),
  }),
  onDidChangeWorkspaceFolders: foldersChanged.event,
  onDidRenameFiles: filesRenamed.event,
  onDidChangeConfiguration: configurationChanged.event,
  registerTextDocumentContentProvider: (scheme: string) => {
    fake.calls.push(`contentProvider:${scheme}`);
    return new Disposable();
  },
};

export const env = {
  clipboard: {
    writeText: async (text: string) => {
      fake.clipboard = text;
    },
  },
  openExternal: async (uri: Uri | string) => {
    fake.opened.push(uri.toString());
    return fake.answers.openExternal ? fake.answers.openExternal(uri.toString()) : true;
  },
  remoteName: undefined as string | undefined,
  uiKind: UIKind.Desktop,
};

export const lm = {
  /** As VS Code: 1.100 has the function, and it throws. */
  registerMcpServerDefinitionProvider: (id: string, provider: unknown) => {
    if (version.startsWith('1.100.')) throw new Error('MCP server definition providers are a proposed API in 1.100');
    fake.calls.push(`mcpProvider:${id}`);
    fake.mcpProviders.set(id, provider);
    return new Disposable(() => fake.mcpProviders.delete(id));
  },
};

resetFake();
