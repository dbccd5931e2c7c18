/** The connection's line at the top of the chat, with Connect or Reconnect now where they help. */
import { format, type PanelToHost } from '../protocol/panel';
import { h } from './dom';
import type { PanelState } from './panelState';

export class StatusLine {
  readonly element = h('div', { class: 'status', role: 'status' });

  constructor(
    private readonly state: PanelState,
    private readonly post: (message: PanelToHost) => void,
  ) {}

  render(): void {
    const s = this.state.strings!;
    const { connection } = this.state;
    this.element.className = `status ${connection.kind}`;
    const text =
      connection.kind === 'connected'
        ? format(s.connectionConnected, connection.name, connection.server, connection.dialect)
        : connection.kind === 'connecting'
          ? s.connectionConnecting
          : connection.kind === 'reconnecting'
            ? format(s.connectionReconnecting, connection.retryInSeconds, connection.reason)
            : connection.kind === 'failed'
              ? format(s.connectionFailed, connection.reason)
              : s.connectionDisconnected;
    const action =
      connection.kind === 'disconnected' || connection.kind === 'failed'
        ? { label: s.connect, message: { type: 'connect' } as const }
        : connection.kind === 'reconnecting'
          ? { label: s.reconnectNow, message: { type: 'reconnectNow' } as const }
          : undefined;
    const button = action
      ? h(
          'button',
          { type: 'button', class: `secondary ${action.message.type === 'connect' ? 'connect' : 'reconnect-now'}` },
          action.label,
        )
      : undefined;
    if (action && button) button.addEventListener('click', () => this.post(action.message));
    this.element.replaceChildren(
      h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'status-text', title: text }, text),
      ...(button ? [button] : []),
    );
  }
}
