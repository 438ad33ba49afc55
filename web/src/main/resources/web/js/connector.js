// Connects the page to the lobby or a room through the SDK (../sdk/rendezvous.js) and turns what the
// Rendezvous and its connections report into lines in the chat, the ICE hint, the session's history and a
// render. Leaving for another room closes the previous Rendezvous first; events of a Rendezvous the page
// has left are ignored. Page thread only.

import { Rendezvous, shortId } from '../sdk/rendezvous.js';
import { chatMessage, systemMessage } from './message-list.js';
import { dropInviteFromAddress } from './page-address.js';

const $ = (id) => document.getElementById(id);

export class Connector {
  #session;
  #options;
  #log;
  #parts;

  /**
   * `parts`: what follows the Rendezvous — `calls` and `files` (attach(rv)), `view` (renderAll,
   * scheduleRender), `chat` (askToPair) and `hint` (show, clear).
   */
  constructor({ session, options, log, ...parts }) {
    this.#session = session;
    this.#options = options;
    this.#log = log;
    this.#parts = parts;
  }

  /** Leaves the current lobby or room (its connections go to the history) and connects to `room` (null: the lobby). */
  connect(room) {
    const session = this.#session;
    const options = this.#options;
    const { calls, files, view } = this.#parts;
    const renderAll = () => view.renderAll();
    const previous = session.rv;
    if (previous) {
      for (const connection of previous.connections.values()) session.retire(connection);
      previous.close();
    }
    const rv = new Rendezvous({
      room,
      username: options.name || null,
      token: options.token || null,
      loopback: options.loopback,
      relayOnly: options.relayOnly,
      logger: this.#log,
    });
    session.rv = rv;
    calls.attach(rv);
    files.attach(rv);
    const on = (type, handler) =>
      rv.addEventListener(type, (event) => {
        if (session.rv === rv) handler(event.detail);
      });
    on('statechange', renderAll);
    // Resume (v1.1): the dashboard's signaling panel shows the state and counters; the log has the details.
    on('signalinglost', renderAll);
    on('signalingresumed', renderAll);
    on('resumefailed', renderAll);
    on('open', () => {
      if (!room) systemMessage('Connected. Share your id or your link, or pair with someone else’s.');
      if (!room && session.invite) this.#followInvite(rv, session.invite);
      renderAll();
    });
    on('authrequired', () => {
      $('card-auth').classList.remove('hidden');
      if (!options.token) $('token-input').focus();
      renderAll();
    });
    on('authenticated', (detail) => {
      $('card-auth').classList.add('hidden');
      $('token-input').value = '';
      systemMessage(`Signed in as ${detail.user}.`);
    });
    on('members', ({ users }) => {
      systemMessage(users.length ? `Joined room ${room} with ${users.length} other${users.length === 1 ? '' : 's'}.` : `Joined room ${room}. Nobody else is here yet.`);
      renderAll();
    });
    on('peerjoined', (detail) => {
      systemMessage(`${detail.username || shortId(detail.id)} joined.`);
      renderAll();
    });
    on('peerleft', (detail) => {
      systemMessage(`${detail.username || shortId(detail.id)} left.`);
      renderAll();
    });
    on('connection', (connection) => this.#watchConnection(connection));
    on('paired', (detail) => {
      systemMessage(`Paired with ${shortId(detail.id)}. Connecting…`);
      renderAll();
    });
    on('peerdisconnected', (detail) => {
      systemMessage(`${shortId(detail.id)} left. Ready for a new peer.`);
      renderAll();
    });
    on('error', (message) => {
      systemMessage(`Server: ${message.message ?? message.code} (${message.code})`, 'error');
      if (message.code === 'auth_failed' || message.code === 'auth_timeout') $('card-auth').classList.remove('hidden');
    });
    on('close', (detail) => {
      if (detail.code === 4001) {
        $('card-auth').classList.remove('hidden');
        systemMessage('Sign-in failed: check your token and sign in again.', 'error');
      } else {
        const why = detail.reason ? `${detail.code} ${detail.reason}` : `${detail.code}`;
        systemMessage(`Disconnected from the server (${why}).`, 'warn');
      }
      renderAll();
    });
    renderAll();
  }

  /** An invite link (?pair=ID) pairs once: the parameter leaves the address so a reload does not pair again. */
  #followInvite(rv, target) {
    this.#session.invite = null;
    dropInviteFromAddress();
    if (target === rv.id) {
      systemMessage('This invite link is your own: send it to the other person.', 'warn');
      return;
    }
    systemMessage(`Opening the invite from ${shortId(target)}…`);
    this.#log.add('app', 'invite_followed', { peer: target });
    this.#parts.chat.askToPair(rv, target);
  }

  #watchConnection(connection) {
    const { hint, view } = this.#parts;
    connection.addEventListener('open', () => {
      systemMessage(`Connected to ${connection.displayName} (${connection.metrics.timeToConnectMs} ms).`);
      hint.clear(connection.peerId);
    });
    connection.addEventListener('candidatewarning', (event) => hint.show(connection, event.detail));
    connection.addEventListener('close', () => hint.clear(connection.peerId));
    connection.addEventListener('change', () => view.scheduleRender());
    connection.addEventListener('data', (event) => chatMessage('incoming', connection.displayName, event.detail, { from: connection.peerId }));
    connection.addEventListener('close', () => this.#session.retire(connection));
  }
}
