// The page's session: the Rendezvous of the current lobby or room connection, the connections that closed
// (for the dashboard's history), an invite still to follow, and our pair request under way. Everything
// else reads it through the getters here. Page thread only.

import { buildInviteLink } from './invite.js';

const PAST_LINKS_KEPT = 10;

export class PageSession {
  rv = null; // the Rendezvous of the current lobby or room connection
  pastLinks = []; // closed connections, newest first, for the dashboard
  invite; // ?pair=ID: pair with ID once admitted (used once)
  pairing = null; // {peerId, held: [{text, item}]}: our pair request under way, and the lines typed meanwhile
  #options;
  #onChange;

  /** `options`: the page's (page-address.js); `onChange`: called when the history of connections grows. */
  constructor({ options, onChange }) {
    this.#options = options;
    this.#onChange = onChange;
    this.invite = options.invite;
  }

  get myId() {
    return this.rv?.id ?? null;
  }

  get room() {
    return this.rv?.room ?? null;
  }

  get pairedPeer() {
    return this.rv?.pairedPeer ?? null;
  }

  get members() {
    return this.rv?.members ?? new Map();
  }

  liveLinks() {
    return this.rv ? [...this.rv.connections.values()] : [];
  }

  allLinks() {
    return { live: this.liveLinks(), past: this.pastLinks };
  }

  /** The link that brings someone else to you (invite.js): your room in a room, else your id; null before admission. */
  inviteLink() {
    if (!this.myId) return null;
    const { loopback, relayOnly } = this.#options;
    return buildInviteLink(location, { room: this.room, id: this.myId, loopback, relayOnly });
  }

  /** Keeps a closed connection for the dashboard's history. */
  retire(connection) {
    if (this.pastLinks.includes(connection)) return;
    this.pastLinks.unshift(connection);
    this.pastLinks.length = Math.min(this.pastLinks.length, PAST_LINKS_KEPT);
    this.#onChange();
  }

  /** The session as plain data: the dashboard's summary, the exported log, `rendezvous.snapshot()`. */
  snapshot() {
    return {
      clientId: this.myId,
      scope: this.room ? 'room' : 'lobby',
      room: this.room,
      signaling: this.rv?.signalingState ?? 'idle',
      signalingUrl: this.rv?.signalingUrl ?? null,
      resume: this.rv?.resumeStats ?? { lost: 0, resumes: 0, replayed: 0, resent: 0, failures: 0 },
      pairedPeer: this.pairedPeer,
      members: [...this.members].map(([clientId, username]) => ({ clientId, username })),
      options: { loopback: this.#options.loopback, relayOnly: this.#options.relayOnly },
      iceServers: (this.rv?.iceServers ?? []).map((server) => ({ urls: server.urls })),
      peers: this.liveLinks().map((link) => link.snapshot()),
      pastPeers: this.pastLinks.map((link) => link.snapshot()),
    };
  }
}
