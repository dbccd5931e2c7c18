/**
 * Text for VS Code's notifications. A notification turns `[label](target)` into a link, and a
 * `command:` target runs a command when clicked: a classmate's name, message or question, or a
 * relay's error text, could offer "[Open](command:…)". Such text is shown as written instead.
 */
import type { Notices } from './services';

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
    flash: (message, ms) => notices.flash(unlinked(message), ms),
    progress: (title, task) => notices.progress(unlinked(title), task),
  };
}
