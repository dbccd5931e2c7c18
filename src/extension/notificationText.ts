/**
 * Text for VS Code's notifications and questions. A notification, and a question's prompt,
 * turn `[label](target)` into a link, and a `command:` target runs a command when clicked: a
 * classmate's name, message or question, or a relay's error text, could offer
 * "[Open](command:…)". Prompts, pick labels and the status bar also draw `$(name)` as an icon.
 * Such text is shown as written instead.
 */
import type { Notices, Prompts } from './ports';

/**
 * The text with link syntax broken up: a space between `]` and `(`, which VS Code's notification
 * links require to touch. Everything else stays as it was.
 */
export function unlinked(text: string): string {
  return text.replace(/\](?=\()/g, '] ');
}

/** Notices whose every message goes out unlinked: names, messages and relay texts reach them. */
export function plainNotices(notices: Notices): Notices {
  return {
    info: (message, ...actions) => notices.info(unlinked(message), ...actions),
    warning: (message, ...actions) => notices.warning(unlinked(message), ...actions),
    error: (message, ...actions) => notices.error(unlinked(message), ...actions),
    confirm: (message, detail, ...actions) => notices.confirm(unlinked(message), unlinked(detail), ...actions),
    flash: (message, ms) => notices.flash(unlinked(message), ms),
    progress: (title, task) => notices.progress(unlinked(title), task),
  };
}

/** Text with `$(name)` shown as written, not drawn as an icon (VS Code's escape for it). */
export function withoutIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** Questions whose every prompt goes out without links or icons: names reach them. */
export function plainPrompts(prompts: Prompts): Prompts {
  const plain = (text: string) => withoutIcons(unlinked(text));
  return {
    ...prompts,
    text: (title, prompt, maxBytes) => prompts.text(title, plain(prompt), maxBytes),
    line: (title, prompt) => prompts.line(title, plain(prompt)),
    secret: (title, prompt) => prompts.secret(title, plain(prompt)),
    optionalText: (title, prompt, maxBytes) => prompts.optionalText(title, plain(prompt), maxBytes),
  };
}
