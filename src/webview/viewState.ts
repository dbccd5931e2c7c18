/**
 * What the panel saves with the webview's setState: only how the person looks at the chat
 * (selection, drafts, the hints strip), never the items, which the host sends on every start.
 */
import { EVERYONE } from '../protocol/panel';

export interface ViewState {
  version: 2;
  /** The conversation in view. */
  selected: string;
  /** The person last written to or looked at: the composer's recipient while the hints are in view. */
  lastPerson?: string;
  drafts: Record<string, string>;
  hintsCollapsed: boolean;
  /** Hints this person dismissed or a teacher cleared, newest last. */
  dismissedHints: string[];
  /** The conversation list shows only conversations with unread messages (and the one in view). */
  unreadOnly?: boolean;
}

export const DISMISSED_LIMIT = 200;
const DRAFT_LIMIT = 50;

const isString = (value: unknown): value is string => typeof value === 'string';

/** Whatever was saved (an older panel's state included), as a valid ViewState. */
export function readViewState(saved: unknown): ViewState {
  // Drafts are keyed by names from the network: no prototype, so "constructor" is just a name.
  const state: ViewState = {
    version: 2,
    selected: EVERYONE,
    drafts: Object.create(null) as Record<string, string>,
    hintsCollapsed: false,
    dismissedHints: [],
  };
  if (typeof saved !== 'object' || saved === null) return state;
  const value = saved as Record<string, unknown>;
  if (isString(value.selected)) state.selected = value.selected;
  if (isString(value.lastPerson) && value.lastPerson !== EVERYONE) state.lastPerson = value.lastPerson;
  if (typeof value.drafts === 'object' && value.drafts !== null) {
    for (const [conversation, draft] of Object.entries(value.drafts).slice(-DRAFT_LIMIT))
      if (isString(draft) && draft !== '') state.drafts[conversation] = draft;
  }
  if (typeof value.hintsCollapsed === 'boolean') state.hintsCollapsed = value.hintsCollapsed;
  if (value.unreadOnly === true) state.unreadOnly = true;
  if (Array.isArray(value.dismissedHints))
    state.dismissedHints = value.dismissedHints.filter(isString).slice(-DISMISSED_LIMIT);
  return state;
}

/** A copy fit for saving: empty drafts left out, lists bounded. */
export function savedViewState(state: ViewState): ViewState {
  const drafts = Object.create(null) as Record<string, string>;
  for (const [conversation, draft] of Object.entries(state.drafts).slice(-DRAFT_LIMIT))
    if (draft !== '') drafts[conversation] = draft;
  return { ...state, drafts, dismissedHints: state.dismissedHints.slice(-DISMISSED_LIMIT) };
}
