// The hint under the chat header when a connection has no usable candidate (the SDK's 'candidatewarning'):
// shown with its line in the chat and in the log, and cleared when that connection opens or closes.
// The text is ice-hint.js's. Page thread only.

import { iceHintText } from './ice-hint.js';
import { systemMessage } from './message-list.js';

export class IceHintBanner {
  #hint;
  #log;

  constructor({ root = document, log }) {
    this.#hint = root.getElementById('ice-hint');
    this.#log = log;
  }

  /** Shows the hint for `connection`'s warning `detail`. */
  show(connection, detail) {
    const text = iceHintText(detail);
    const hint = this.#hint;
    hint.textContent = text;
    hint.dataset.peerId = connection.peerId;
    hint.dataset.reason = detail.reason;
    hint.classList.remove('hidden');
    systemMessage(text, 'warn');
    this.#log.add('app', 'ice_hint', { peer: connection.peerId, reason: detail.reason, text }, 'warn');
  }

  /** Hides the hint if it is about `peerId`. */
  clear(peerId) {
    const hint = this.#hint;
    if (hint.dataset.peerId !== peerId) return;
    hint.classList.add('hidden');
    delete hint.dataset.peerId;
  }
}
