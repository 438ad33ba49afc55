// What the page's own controls do: the message box, Pair and End chat, joining and leaving a room, signing
// in, copying your id and your link, and reconnecting from the signaling pill. Page thread only.

import { isValidRoomName } from '../sdk/rendezvous.js';
import { copyWithFallback } from './invite.js';
import { systemMessage } from './message-list.js';
import { setRoomInAddress } from './page-address.js';

const $ = (id) => document.getElementById(id);

/** Wires every control once; `connector` connects (connect(room)), `chat` sends and pairs, `view` renders. */
export function wireControls({ session, options, log, connector, chat, view }) {
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('message-input');
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    chat.send(text);
  });

  $('pair-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const target = $('pair-input').value.trim();
    if (!target) return;
    if (target === session.myId) {
      systemMessage('That is your own id: paste the other person’s id.', 'warn');
      return;
    }
    if (session.rv) chat.askToPair(session.rv, target); // refusals arrive as 'error' events, shown by the connector
  });

  $('unpair-button').addEventListener('click', () => {
    session.rv?.unpair();
    systemMessage('You ended the chat. Ready for a new peer.');
    view.renderAll();
  });

  $('room-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const room = $('room-input').value.trim();
    if (!isValidRoomName(room)) {
      systemMessage('Room names are 1–64 letters, digits, dots, dashes or underscores.', 'warn');
      return;
    }
    setRoomInAddress(room);
    connector.connect(room);
  });

  $('leave-room-button').addEventListener('click', () => {
    setRoomInAddress(null);
    systemMessage(`You left room ${session.room}.`);
    connector.connect(null);
  });

  $('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    options.token = token;
    // After a refusal the server has closed the connection (4001): sign in again on a fresh one.
    if (session.rv?.signalingState === 'open' && !session.myId) session.rv.authenticate(token);
    else connector.connect(session.room);
  });

  $('copy-id').addEventListener('click', () => {
    if (!session.myId) return;
    copyWithFallback({ log, button: $('copy-id'), text: session.myId, label: 'Copy id' }, () => getSelection().selectAllChildren($('my-id')));
  });

  // The clipboard may be refused (no permission, an insecure origin): the link is then shown, selected.
  $('copy-link').addEventListener('click', () => {
    const link = session.inviteLink();
    if (!link) return;
    copyWithFallback({ log, button: $('copy-link'), text: link, label: 'Copy link' }, () => {
      const shown = $('invite-link');
      shown.value = link;
      shown.classList.remove('hidden');
      shown.focus();
      shown.select();
    });
  });

  $('signaling-status').addEventListener('click', () => {
    if (session.rv?.signalingState === 'closed') connector.connect(session.room);
  });
}
