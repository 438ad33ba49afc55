// Rendezvous browser SDK — the browser side of signaling protocol v1, as one ES module with no DOM and no
// dependencies. `new Rendezvous({...})` connects to the lobby (1:1 pairing by id) or to a room (a full
// mesh: the newcomer offers to every member already there). Each remote peer is one Connection
// (connection.js): a `chat` data channel with safe send, and audio/video tracks added or removed at any
// time, renegotiated without glare.
//
// Lifecycle of a Rendezvous: connecting → open (admitted: 'open' carries the id) → closed ('close'
// carries the WebSocket close code). `close()` ends every connection and the signaling connection; a
// closed Rendezvous is never reused: make a new one to reconnect. Page thread only.
//
// Docs: docs/sdk-js.md. Types: rendezvous.d.ts.

import { Connection, shortId } from './connection.js';
import { isPolite } from './negotiation.js';
import { SILENT_LOGGER, SignalingConnection } from './signaling.js';
import { RELAYED_TYPES, isValidRoomName } from './wire.js';

export { Connection, ensureLoopbackPermission, DEFAULT_ICE_RESTART, CANDIDATE_WARNING_MS, CandidateWarning } from './connection.js';
export { Outcome, Refusal, DEFAULT_LIMITS } from './safe-sender.js';
export { isPolite } from './negotiation.js';
export { MediaStatsReader, selectedPairOf } from './stats.js';
export { SILENT_LOGGER } from './signaling.js';
export { isValidRoomName, shortId };

export const VERSION = '0.1.0';

/** Per sender, at most this many candidates wait for an offer in a room (as in the Java SDK). */
const MAX_EARLY_CANDIDATES = 200;

/** Refusals of `pair_request` (protocol v1, "Pairing"). */
const PAIR_ERRORS = new Set(['peer_not_found', 'peer_busy', 'already_paired', 'self_pair']);

export class Rendezvous extends EventTarget {
  #options;
  #log;
  #signaling;
  #id = null;
  #iceServers = [];
  #pairedPeer = null;
  #connections = new Map(); // peer id → live Connection
  #members = new Map(); // room members other than me: id → username
  #earlyCandidates = new Map(); // room: sender id → candidates that came before its offer
  #localTracks = []; // {track, stream}: sent on every connection, now and later
  #pendingConnects = []; // {peerId, resolve, reject}
  #closed = false;

  /**
   * @param {object} options see rendezvous.d.ts (RendezvousOptions)
   */
  constructor(options = {}) {
    super();
    const room = options.room ?? null;
    if (room !== null && !isValidRoomName(room)) {
      throw new TypeError(`invalid room name "${room}": 1–64 characters of A-Z a-z 0-9 . _ -`);
    }
    this.#options = {
      server: options.server ?? globalThis.location?.origin,
      room,
      id: options.id ?? null,
      username: options.username ?? null,
      token: options.token ?? null,
      loopback: options.loopback === true,
      relayOnly: options.relayOnly === true,
      iceServers: options.iceServers ?? null,
      sendLimits: options.sendLimits ?? {},
      iceRestart: options.iceRestart ?? {},
    };
    this.#log = options.logger ?? SILENT_LOGGER;
    this.#signaling = new SignalingConnection(signalingUrl(this.#options), this.#log);
    this.#listen(this.#signaling);
    this.#signaling.connect();
  }

  /** The id the server gave (or granted); null until 'open'. */
  get id() {
    return this.#id;
  }

  /** The room name, or null in the lobby. */
  get room() {
    return this.#options.room;
  }

  /** 'connecting' | 'open' (admitted) | 'closed' */
  get state() {
    if (this.#closed || this.#signaling.state === 'closed') return 'closed';
    return this.#id ? 'open' : 'connecting';
  }

  /** Resume counters of the signaling connection: {lost, resumes, replayed, resent, failures, halfOpen}. */
  get resumeStats() {
    return this.#signaling.resumeStats;
  }

  /** The signaling WebSocket's own state: idle, connecting, open, resuming, closed. */
  get signalingState() {
    return this.#signaling.state;
  }

  get signalingUrl() {
    return this.#signaling.url;
  }

  get iceServers() {
    return this.#iceServers.map((server) => ({ ...server }));
  }

  /** Lobby: the peer we are paired with, or null. */
  get pairedPeer() {
    return this.#pairedPeer;
  }

  /** Room: the other members, id → username (null when none given). */
  get members() {
    return new Map(this.#members);
  }

  /** Live connections by peer id. */
  get connections() {
    return new Map(this.#connections);
  }

  connection(peerId) {
    return this.#connections.get(peerId) ?? null;
  }

  /** Answers `auth_required` (if no token was given in the options, or it was refused and you retry). */
  authenticate(token) {
    this.#options.token = token;
    const message = { type: 'auth_token', token };
    if (this.#options.id) message.clientId = this.#options.id;
    return this.#signaling.send(message);
  }

  /**
   * Lobby: pairs with `peerId` (we become the initiator). Resolves with the Connection once the server
   * paired us; rejects with an Error whose `code` is the server's refusal (`peer_not_found`, `peer_busy`,
   * `already_paired`, `self_pair`) or `not_connected` / `closed`.
   */
  connect(peerId) {
    if (this.#options.room) return Promise.reject(codedError('in_room', 'connect() pairs in the lobby; in a room everyone connects to everyone'));
    if (this.#closed) return Promise.reject(codedError('closed', 'this Rendezvous is closed'));
    const existing = this.#connections.get(peerId);
    if (existing && this.#pairedPeer === peerId) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      if (!this.#signaling.send({ type: 'pair_request', target_id: peerId })) {
        reject(codedError('not_connected', 'signaling is not connected'));
        return;
      }
      this.#pendingConnects.push({ peerId, resolve, reject });
    });
  }

  /** Lobby: pairs with `peerId` and sends `stream`'s tracks (PeerJS's `peer.call`). Also sent to later peers. */
  async call(peerId, stream) {
    this.addStream(stream);
    return this.connect(peerId);
  }

  /** Lobby: ends the pairing (the peer gets `peer_disconnected`). */
  unpair() {
    const peerId = this.#pairedPeer;
    if (!peerId) return false;
    this.#signaling.send({ type: 'unpair' });
    this.#pairedPeer = null;
    this.#closeConnection(peerId, 'you ended the pairing');
    return true;
  }

  /** Sends `track` to every peer, now and later. */
  addTrack(track, stream = null) {
    if (this.#localTracks.some((t) => t.track === track)) return;
    this.#localTracks.push({ track, stream });
    for (const connection of this.#connections.values()) connection.addTrack(track, stream);
  }

  /** Stops sending `track` to every peer (the track keeps running: stop it yourself when done). */
  removeTrack(track) {
    this.#localTracks = this.#localTracks.filter((t) => t.track !== track);
    for (const connection of this.#connections.values()) connection.removeTrack(track);
  }

  addStream(stream) {
    for (const track of stream.getTracks()) this.addTrack(track, stream);
  }

  removeStream(stream) {
    for (const track of stream.getTracks()) this.removeTrack(track);
  }

  /** The local tracks being sent to every peer. */
  get localTracks() {
    return this.#localTracks.map(({ track }) => track);
  }

  /**
   * Safe-sends `text` to every live connection; returns `[{peerId, outcome, code?, reason?}]` (empty when
   * nobody is connected). `onSettled(peerId, result)` reports each queued message's fate.
   */
  broadcast(text, onSettled = () => {}) {
    return [...this.#connections.values()].map((connection) => ({
      peerId: connection.peerId,
      ...connection.send(text, (result) => onSettled(connection.peerId, result)),
    }));
  }

  /** Ends every connection and the signaling connection (close code 1000), once. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    for (const peerId of [...this.#connections.keys()]) this.#closeConnection(peerId, 'closed');
    this.#rejectPending('closed', 'this Rendezvous is closed');
    this.#signaling.close();
  }

  // ------------------------------------------------------------------------------------------------
  // Signaling

  #listen(signaling) {
    const on = (type, handler) => signaling.addEventListener(type, (event) => handler(event.detail));
    on('statechange', () => this.#emit('statechange', { state: this.state, signaling: signaling.state }));
    on('your_id', (m) => this.#onYourId(m));
    on('auth_required', () => {
      if (this.#options.token) this.authenticate(this.#options.token);
      this.#emit('authrequired', { tokenSent: Boolean(this.#options.token) });
    });
    on('auth_success', (m) => this.#emit('authenticated', { user: m.user, clientId: m.client_id }));
    on('users_in_room', (m) => this.#onUsersInRoom(m));
    on('user_joined', (m) => {
      this.#members.set(m.client_id, m.username ?? null);
      this.#emit('peerjoined', { id: m.client_id, username: m.username ?? null });
    });
    on('user_left', (m) => this.#onUserLeft(m));
    on('paired', (m) => this.#onPaired(m));
    on('peer_disconnected', (m) => this.#onPeerDisconnected(m));
    on('error', (m) => this.#onServerError(m));
    on('closed', (detail) => {
      for (const peerId of [...this.#connections.keys()]) this.#closeConnection(peerId, 'signaling closed');
      this.#rejectPending('closed', `signaling closed (${detail.code})`);
      this.#emit('close', detail);
    });
    on('message', (m) => {
      if (RELAYED_TYPES.has(m.type)) this.#onRelayed(m);
    });
    // Resume (v1.1): connections carry on while signaling is away; what they signal meanwhile waits.
    on('lost', (detail) => this.#emit('signalinglost', { code: detail.code }));
    on('resuming', (detail) => this.#emit('signalingresuming', { attempt: detail.attempt }));
    on('resumed', (detail) => this.#emit('signalingresumed', { replayed: detail.replayed, resent: detail.resent }));
    on('resumefailed', (detail) => {
      // A fresh session: the server forgot our pairing or membership, and the peers heard we left.
      const lostPeers = [...this.#connections.keys()];
      for (const peerId of lostPeers) this.#closeConnection(peerId, 'signaling resume failed');
      this.#pairedPeer = null;
      this.#members.clear();
      this.#emit('resumefailed', { id: detail.id, reason: detail.reason, lostPeers });
    });
  }

  #onYourId(message) {
    this.#id = message.id;
    this.#iceServers = this.#options.iceServers ?? sanitizeIceServers(message.ice_servers);
    this.#log.add('app', 'ready', { id: message.id, iceServers: this.#iceServers.length, room: this.#options.room });
    this.#emit('open', { id: message.id, room: this.#options.room, iceServers: this.iceServers });
  }

  #onUsersInRoom(message) {
    const users = Array.isArray(message.users) ? message.users : [];
    for (const user of users) this.#members.set(user.client_id, user.username ?? null);
    this.#emit('members', { users: users.map((u) => ({ id: u.client_id, username: u.username ?? null })) });
    // The newcomer offers to every member already there; they answer.
    for (const user of users) this.#openConnection(user.client_id, true, user.username ?? null);
  }

  #onUserLeft(message) {
    const id = message.client_id;
    const username = this.#members.get(id) ?? message.username ?? null;
    this.#members.delete(id);
    this.#earlyCandidates.delete(id);
    this.#closeConnection(id, 'peer left the room');
    this.#emit('peerleft', { id, username });
  }

  #onPaired(message) {
    const peerId = message.peer_id;
    this.#pairedPeer = peerId;
    const connection = this.#openConnection(peerId, message.initiator === true, null);
    this.#emit('paired', { id: peerId, initiator: message.initiator === true, connection });
    const waiting = this.#pendingConnects.filter((p) => p.peerId === peerId);
    this.#pendingConnects = this.#pendingConnects.filter((p) => p.peerId !== peerId);
    for (const pending of waiting) pending.resolve(connection);
  }

  #onPeerDisconnected(message) {
    const peerId = message.peer_id ?? this.#pairedPeer;
    this.#closeConnection(peerId, 'peer disconnected');
    if (this.#pairedPeer === peerId) this.#pairedPeer = null;
    this.#emit('peerdisconnected', { id: peerId });
  }

  #onServerError(message) {
    if (message.ref === 'pair_request' && PAIR_ERRORS.has(message.code) && this.#pendingConnects.length) {
      const pending = this.#pendingConnects.shift();
      pending.reject(codedError(message.code, message.message ?? message.code));
    }
    this.#emit('error', { code: message.code, message: message.message ?? message.code, ref: message.ref ?? null });
  }

  #onRelayed(message) {
    const from = message.from ?? this.#pairedPeer;
    if (!from) {
      this.#log.add('signaling', 'relay_without_sender', { type: message.type }, 'warn');
      return;
    }
    let connection = this.#connections.get(from);
    if (!connection) {
      if (message.type !== 'offer') {
        // A stack may trickle its first candidates before its offer reaches us: keep them for the offer.
        const early = this.#earlyCandidates.get(from) ?? [];
        if (this.#options.room && message.type !== 'answer' && early.length < MAX_EARLY_CANDIDATES) {
          early.push(message);
          this.#earlyCandidates.set(from, early);
        } else {
          this.#log.add('signaling', 'relay_from_unknown_peer', { type: message.type, from }, 'warn');
        }
        return;
      }
      const username = message.username ?? this.#members.get(from) ?? null;
      if (this.#options.room && !this.#members.has(from)) this.#members.set(from, username);
      connection = this.#openConnection(from, false, username);
    } else if (message.type === 'offer' && connection.initiator && !connection.descriptionReceived) {
      // First offers crossed (a peer that ignores who should offer): as in the Java SDK, the greater id
      // yields and answers on a fresh connection; the smaller keeps its own offer. An offer after the
      // peer's answer (in arrival order: it may not be applied yet) is a renegotiation, and offers that
      // cross then are perfect negotiation's job.
      if (!this.#id || !isPolite(this.#id, from)) {
        this.#log.add(from, 'crossing_offer_ignored', { note: 'our offer stands' }, 'warn');
        return;
      }
      connection = this.#openConnection(from, false, connection.username);
    }
    connection.handleSignal(message);
    if (message.type === 'offer') {
      for (const candidate of this.#earlyCandidates.get(from) ?? []) connection.handleSignal(candidate);
      this.#earlyCandidates.delete(from);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Connections

  #openConnection(peerId, initiator, username) {
    this.#closeConnection(peerId, 'replaced by a new connection');
    const connection = new Connection({
      peerId,
      initiator,
      polite: isPolite(this.#id ?? '', peerId),
      username,
      iceServers: this.#iceServers,
      relayOnly: this.#options.relayOnly,
      loopback: this.#options.loopback,
      signal: (message) => this.#signal(peerId, message),
      logger: this.#log,
      sendLimits: this.#options.sendLimits,
      iceRestart: this.#options.iceRestart,
    });
    this.#connections.set(peerId, connection);
    this.#emit('connection', connection);
    connection.start([...this.#localTracks]);
    return connection;
  }

  #closeConnection(peerId, reason) {
    const connection = this.#connections.get(peerId);
    if (!connection) return;
    this.#connections.delete(peerId);
    connection.close(reason);
  }

  #signal(peerId, message) {
    if (this.#options.room) message.to = peerId;
    return this.#signaling.send(message);
  }

  #rejectPending(code, text) {
    for (const pending of this.#pendingConnects.splice(0)) pending.reject(codedError(code, text));
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * `GET /api/ice-servers` on `server`: the ICE servers (TURN credentials minted for you) a page can use
 * before, or without, signaling. With auth on, pass the token (sent as `Authorization: Bearer`).
 */
export async function fetchIceServers({ server = globalThis.location?.origin, token = null, clientId = null } = {}) {
  const url = new URL('/api/ice-servers', httpOrigin(server));
  if (clientId) url.searchParams.set('client_id', clientId);
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (!response.ok) throw codedError('ice_servers_failed', `GET ${url.pathname}: HTTP ${response.status}`);
  const body = await response.json();
  return sanitizeIceServers(body.ice_servers);
}

/** The signaling URL: `/ws` (lobby) or `/ws/{room}` on the server, with `username` and `client_id`. */
export function signalingUrl({ server, room = null, username = null, id = null }) {
  const base = new URL(httpOrigin(server));
  const scheme = base.protocol === 'https:' || base.protocol === 'wss:' ? 'wss:' : 'ws:';
  const url = new URL(`${scheme}//${base.host}${room ? `/ws/${encodeURIComponent(room)}` : '/ws'}`);
  if (username) url.searchParams.set('username', username);
  if (id) url.searchParams.set('client_id', id);
  return url.toString();
}

function httpOrigin(server) {
  if (!server) throw new TypeError('no server: pass {server: "http://host:port"} outside a page served by Rendezvous');
  return String(server).replace(/^ws(s?):/, 'http$1:');
}

/** Keeps only well-formed RTCIceServer entries. */
export function sanitizeIceServers(servers) {
  if (!Array.isArray(servers)) return [];
  return servers
    .filter((server) => server && (typeof server.urls === 'string' || Array.isArray(server.urls)))
    .map((server) => {
      const clean = { urls: server.urls };
      if (typeof server.username === 'string') clean.username = server.username;
      if (typeof server.credential === 'string') clean.credential = server.credential;
      return clean;
    });
}

function codedError(code, message) {
  return Object.assign(new Error(message), { code });
}
