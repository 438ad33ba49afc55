// What happens to a line the user sends, and to the pair requests that lines may wait for. Page thread only.
//
// A line typed with nobody to send to is refused, not held for whoever pairs next: on this page anyone
// who has your id can pair with you, so a held line could reach a reader you never chose (docs/web.md).
// Once a pairing or a room member exists, lines queue until the channel opens (the SDK's safe send); a
// line typed while our own pair request is under way waits for that peer only (askToPair).

import { chatMessage, setStatus, summarizeOutcomes } from './message-list.js';

export class ChatSender {
  #session;
  #log;

  constructor({ session, log }) {
    this.#session = session;
    this.#log = log;
  }

  /** Shows the line as sent by you and sends it to every live connection, or holds or refuses it (above). */
  send(text) {
    const session = this.#session;
    const links = session.liveLinks();
    const item = chatMessage('outgoing', 'You', text, {});
    if (!links.length && session.pairing) {
      session.pairing.held.push({ text, item });
      setStatus(item, 'queued', `Waiting for ${session.pairing.peerId} to pair — sends when paired`);
      return;
    }
    if (!links.length) {
      setStatus(item, 'refused', 'Nobody to send to yet: pair with someone or join a room, then send it again. Not kept for a later peer.');
      this.#log.add('app', 'send_refused', { reason: 'no peer' }, 'warn');
      return;
    }
    sendTo(links, text, item);
  }

  /**
   * Sends a pair request. Lines typed before the server answers wait for that peer only (as `rendezvous chat
   * --pair` holds them): sent once paired, refused if the pairing fails — never kept for someone else.
   */
  askToPair(rv, target) {
    const session = this.#session;
    const pairing = { peerId: target, held: [] };
    session.pairing = pairing;
    const settle = () => {
      if (session.pairing === pairing) session.pairing = null;
    };
    rv.connect(target).then((connection) => {
      settle();
      for (const { text, item } of pairing.held) sendTo([connection], text, item);
    }, (error) => {
      settle(); // refusals (peer_not_found, …) are shown by the 'error' event
      for (const { item } of pairing.held) {
        setStatus(item, 'refused', `Not sent: pairing with ${target} failed (${error.code ?? error.message}). Not kept for a later peer.`);
      }
    });
  }
}

/** Sends `text` on every one of `links`; the line's status follows what each delivery settles to. */
function sendTo(links, text, item) {
  const outcomes = new Map();
  const update = () => setStatus(item, ...summarizeOutcomes(outcomes, links.length));
  for (const link of links) {
    const result = link.send(text, (settled) => {
      outcomes.set(link.peerId, settled);
      update();
    });
    outcomes.set(link.peerId, result);
  }
  update();
}
