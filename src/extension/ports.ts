/**
 * What the extension's parts need from VS Code, as small interfaces: the parts stay free of
 * `vscode`, the extension hands them VS Code's services (see vscode/services.ts) and tests
 * hand them plain objects.
 */
import type { ServerAddress } from '../protocol/address';
import type { HostToPanel } from '../protocol/panel';
import type { EditorSelection } from './chat/snippets';

export interface Disposable {
  dispose(): void;
}

/** The questions the commands ask. Each answers undefined when the person cancels. */
export interface Prompts {
  /** `title`: the command asking ("Relay: Connect" if not given). */
  server(
    recent: readonly string[],
    current: ServerAddress | undefined,
    title?: string,
  ): Promise<ServerAddress | undefined>;
  name(initial: string | undefined, title: string): Promise<string | undefined>;
  /** An online or known peer, or a typed name. */
  peer(online: readonly string[], known: readonly string[], title: string): Promise<string | undefined>;
  /** A text of at most `maxBytes` UTF-8 bytes, not blank. */
  text(title: string, prompt: string, maxBytes: number): Promise<string | undefined>;
  /** Some of `choices`, all of them ticked at first. */
  pickMany(choices: readonly string[], title: string, placeholder: string): Promise<string[] | undefined>;
  /** A line of free text. */
  line(title: string, prompt: string): Promise<string | undefined>;
  /** A teacher key, typed hidden and checked (see teacherKeys.ts). */
  secret(title: string, prompt: string): Promise<string | undefined>;
  /** A text of at most `maxBytes` that may be left empty (''); undefined only when cancelled. */
  optionalText(title: string, prompt: string, maxBytes: number): Promise<string | undefined>;
  /** One of `choices`, by its id. */
  choose(choices: readonly Choice[], title: string, placeholder: string): Promise<string | undefined>;
}

export interface Choice {
  id: string;
  label: string;
  detail?: string;
}

/** Secrets kept by VS Code's SecretStorage: in the system's keychain, never in settings. */
export interface Secrets {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Messages to the person. The promises answer the action chosen, or undefined when dismissed. */
export interface Notices {
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warning(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  /** A question that must be answered before going on (VS Code's modal dialog); `detail` below the message. */
  confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  /** A short message that goes away by itself. */
  flash(message: string, ms: number): void;
  /** Shows `title` as in progress while `task` runs. */
  progress<T>(title: string, task: () => Promise<T>): Promise<T>;
}

/** Values kept across reloads, as VS Code's Memento keeps them. */
export interface Storage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
  /** Every key there is (VS Code's Memento has them). */
  keys?(): readonly string[];
}

/**
 * The files of one folder, for the chat history (VS Code's globalStorageUri, through node:fs).
 * Names are plain file names without a path. Each call may throw; whoever calls it decides
 * what a failure means.
 */
export interface HistoryFiles {
  /** The files there are, with their size and when they were last written or used. */
  list(): Array<{ name: string; bytes: number; modified: Date }>;
  /** A file's text; undefined when there is no such file. */
  read(name: string): string | undefined;
  append(name: string, text: string): void;
  /** Replaces a file's text at once: a crash leaves the old text or the new, never half of it. */
  replace(name: string, text: string): void;
  remove(name: string): void;
  /** Marks a file as used now. */
  touch(name: string): void;
}

export interface Clock {
  now(): Date;
  /** Runs `run` once after `ms`, unless disposed first. */
  after(ms: number, run: () => void): Disposable;
}

/** The extension's log (the "Relay" output channel). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The editors, as far as snippets need them. */
export interface Editors {
  /** What the active (or last used) editor has selected, or its current line; undefined without an editor. */
  selection(): EditorSelection | undefined;
  copy(text: string): Promise<void>;
  /** Opens `code` in a new editor, highlighted as `language` when VS Code knows it. */
  open(code: string, language: string): Promise<void>;
  /** Replaces every selection of the last used editor with `code`; false when no editor is open. */
  insert(code: string): Promise<boolean>;
}

/** What a chat (a webview: the chat view or an editor tab) reports to its host. */
export interface PanelEvents {
  /** Whatever the webview posted: the host checks it before it believes it. */
  message(message: unknown): void;
  visibility(visible: boolean): void;
  closed(): void;
}

/** A chat (the view or an editor tab) as its host drives it. */
export interface PanelView extends Disposable {
  readonly visible: boolean;
  post(message: HostToPanel): void;
  /** Brings it into view; with `preserveFocus`, the keyboard stays where it is. */
  reveal(preserveFocus?: boolean): void;
}
