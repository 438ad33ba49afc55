// The Rendezvous page: lobby pairing and room mesh over protocol v1, the chat view and the dashboard.
// Page options (query string): room=NAME joins a room, loopback=1 signals only 127.* candidates (tests,
// single-host use), relay=1 forces TURN relays, token=JWT answers auth_required, name=NAME display name.
// Everything runs on the page's single thread; rendering is batched per animation frame.

import { EventLog } from './event-log.js';
import { Outcome } from './safe-sender.js';
import { PeerLink, shortId } from './peer-link.js';
import { SignalingConnection } from './signaling.js';
import { RELAYED_TYPES, isValidRoomName, signalingUrl } from './wire.js';
import { Dashboard } from './dashboard.js';

const params = new URLSearchParams(location.search);
const options = {
  loopback: params.get('loopback') === '1',
  relayOnly: params.get('relay') === '1',
  token: params.get('token') ?? '',
  name: params.get('name') ?? '',
};

const log = new EventLog();
const $ = (id) => document.getElementById(id);

const session = {
  connection: null,
  myId: null,
  iceServers: [],
  room: null, // null: lobby
  pairedPeer: null, // lobby only
  links: new Map(), // peer id → PeerLink (live)
  pastLinks: [], // closed links, newest first, for the dashboard
  members: new Map(), // room members other than me: client id → username
  earlyCandidates: new Map(), // room: sender id → candidates that came before its offer
};

/** Per sender, at most this many candidates wait for an offer (as in the Java SDK). */
const MAX_EARLY_CANDIDATES = 200;

const dashboard = new Dashboard({ log, session: () => sessionSnapshot(), links: () => allLinks(), root: document });

// ---------------------------------------------------------------------------------------------------
// Signaling

function connect(room) {
  closeAllLinks('signaling reconnect');
  session.connection?.close();
  session.myId = null;
  session.room = room;
  session.pairedPeer = null;
  session.members.clear();
  session.earlyCandidates.clear();
  const connection = new SignalingConnection(signalingUrl(location, room, options.name), log);
  session.connection = connection;
  const on = (type, handler) =>
    connection.addEventListener(type, (event) => {
      if (session.connection === connection) handler(event.detail);
    });
  on('statechange', renderAll);
  on('your_id', onYourId);
  on('auth_required', onAuthRequired);
  on('auth_success', (message) => {
    $('card-auth').classList.add('hidden');
    $('token-input').value = '';
    systemMessage(`Signed in as ${message.user}.`);
  });
  on('users_in_room', onUsersInRoom);
  on('user_joined', onUserJoined);
  on('user_left', onUserLeft);
  on('paired', onPaired);
  on('peer_disconnected', onPeerDisconnected);
  on('error', onServerError);
  on('closed', (detail) => {
    if (detail.code === 4001) {
      $('card-auth').classList.remove('hidden');
      systemMessage('Sign-in failed: check your token and sign in again.', 'error');
    } else {
      const why = detail.reason ? `${detail.code} ${detail.reason}` : `${detail.code}`;
      systemMessage(`Disconnected from the server (${why}).`, 'warn');
    }
    renderAll();
  });
  on('message', (message) => {
    if (RELAYED_TYPES.has(message.type)) onRelayed(message);
  });
  connection.connect();
  renderAll();
}

function sendSignal(peerId, message) {
  if (session.room) message.to = peerId;
  return session.connection?.send(message) ?? false;
}

function onYourId(message) {
  session.myId = message.id;
  session.iceServers = sanitizeIceServers(message.ice_servers);
  log.add('app', 'ready', { id: message.id, iceServers: session.iceServers.length, room: session.room });
  if (!session.room) systemMessage('Connected. Share your id, or pair with someone else’s.');
  renderAll();
}

function onAuthRequired() {
  $('card-auth').classList.remove('hidden');
  if (options.token) sendToken(options.token);
  else $('token-input').focus();
  renderAll();
}

function sendToken(token) {
  session.connection?.send({ type: 'auth_token', token });
}

function onUsersInRoom(message) {
  const users = Array.isArray(message.users) ? message.users : [];
  for (const user of users) session.members.set(user.client_id, user.username ?? null);
  systemMessage(users.length ? `Joined room ${session.room} with ${users.length} other${users.length === 1 ? '' : 's'}.` : `Joined room ${session.room}. Nobody else is here yet.`);
  // The newcomer offers to every member already there; they answer (no glare).
  for (const user of users) openLink(user.client_id, true, user.username ?? null);
  renderAll();
}

function onUserJoined(message) {
  session.members.set(message.client_id, message.username ?? null);
  systemMessage(`${displayName(message.client_id)} joined.`);
  renderAll();
}

function onUserLeft(message) {
  const name = displayName(message.client_id);
  session.members.delete(message.client_id);
  session.earlyCandidates.delete(message.client_id);
  closeLink(message.client_id, 'peer left the room');
  systemMessage(`${name} left.`);
  renderAll();
}

function onPaired(message) {
  session.pairedPeer = message.peer_id;
  systemMessage(`Paired with ${shortId(message.peer_id)}. Connecting…`);
  openLink(message.peer_id, message.initiator === true, null);
  renderAll();
}

function onPeerDisconnected(message) {
  const peerId = message.peer_id ?? session.pairedPeer;
  closeLink(peerId, 'peer disconnected');
  if (session.pairedPeer === peerId) session.pairedPeer = null;
  systemMessage(`${shortId(peerId)} left. Ready for a new peer.`);
  renderAll();
}

function onServerError(message) {
  systemMessage(`Server: ${message.message ?? message.code} (${message.code})`, 'error');
  if (message.code === 'auth_failed' || message.code === 'auth_timeout') {
    $('card-auth').classList.remove('hidden');
  }
}

function onRelayed(message) {
  const from = message.from ?? session.pairedPeer;
  if (!from) {
    log.add('signaling', 'relay_without_sender', { type: message.type }, 'warn');
    return;
  }
  let link = session.links.get(from);
  if (!link) {
    if (message.type !== 'offer') {
      // A stack may trickle its first candidates before its offer reaches us: keep them for the offer.
      const early = session.earlyCandidates.get(from) ?? [];
      if (session.room && message.type !== 'answer' && early.length < MAX_EARLY_CANDIDATES) {
        early.push(message);
        session.earlyCandidates.set(from, early);
      } else {
        log.add('signaling', 'relay_from_unknown_peer', { type: message.type, from }, 'warn');
      }
      return;
    }
    const username = message.username ?? session.members.get(from) ?? null;
    if (session.room && !session.members.has(from)) session.members.set(from, username);
    link = openLink(from, false, username);
  } else if (message.type === 'offer' && link.initiator) {
    // Offers crossed (a peer that ignores the no-glare rule): as in the Java SDK, the greater id yields
    // and answers; the smaller keeps its own offer.
    if (link.state.channel === 'open' || !session.myId || session.myId < from) {
      log.add(from, 'crossing_offer_ignored', { note: 'our offer stands' }, 'warn');
      return;
    }
    link = openLink(from, false, link.username);
  }
  link.handleSignal(message);
  if (message.type === 'offer') {
    for (const candidate of session.earlyCandidates.get(from) ?? []) link.handleSignal(candidate);
    session.earlyCandidates.delete(from);
  }
}

// ---------------------------------------------------------------------------------------------------
// Peer links

function openLink(peerId, initiator, username) {
  closeLink(peerId, 'replaced by a new connection');
  const link = new PeerLink({
    peerId,
    initiator,
    username,
    iceServers: session.iceServers,
    relayOnly: options.relayOnly,
    loopback: options.loopback,
    signal: (message) => sendSignal(peerId, message),
    log,
  });
  let wasOpen = false;
  link.addEventListener('change', () => {
    if (link.state.channel === 'open' && !wasOpen) {
      wasOpen = true;
      systemMessage(`Connected to ${link.displayName} (${link.metrics.timeToConnectMs} ms).`);
    }
    scheduleRender();
  });
  link.addEventListener('message', (event) => chatMessage('incoming', link.displayName, event.detail, { from: peerId }));
  session.links.set(peerId, link);
  link.start();
  return link;
}

function closeLink(peerId, reason) {
  const link = session.links.get(peerId);
  if (!link) return;
  session.links.delete(peerId);
  link.close(reason);
  session.pastLinks.unshift(link);
  session.pastLinks.length = Math.min(session.pastLinks.length, 10);
}

function closeAllLinks(reason) {
  for (const peerId of [...session.links.keys()]) closeLink(peerId, reason);
}

function allLinks() {
  return { live: [...session.links.values()], past: session.pastLinks };
}

// ---------------------------------------------------------------------------------------------------
// Chat

function sendChat(text) {
  const links = [...session.links.values()];
  const item = chatMessage('outgoing', 'You', text, {});
  if (!links.length) {
    setStatus(item, 'refused', 'Nobody to send to yet: pair with someone or join a room.');
    log.add('app', 'send_refused', { reason: 'no peer' }, 'warn');
    return;
  }
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

function summarizeOutcomes(outcomes, total) {
  const count = (outcome) => [...outcomes.values()].filter((o) => o.outcome === outcome).length;
  const sent = count(Outcome.SENT);
  const queued = count(Outcome.QUEUED);
  const failed = total - sent - queued;
  const reasons = [...new Set([...outcomes.values()].filter((o) => o.reason).map((o) => o.reason))];
  if (failed) return ['refused', `Not delivered to ${failed} of ${total}: ${reasons.join('; ')}`];
  if (queued) return ['queued', total > 1 ? `Queued for ${queued} of ${total} (connecting)` : 'Queued — sends when connected'];
  return ['sent', total > 1 ? `Sent to ${total}` : 'Sent'];
}

function chatMessage(direction, author, text, { from = null } = {}) {
  const item = document.createElement('li');
  item.className = `message ${direction}`;
  item.dataset.direction = direction;
  if (from) item.dataset.from = from;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.append(Object.assign(document.createElement('span'), { className: 'author', textContent: author }));
  meta.append(Object.assign(document.createElement('time'), { textContent: clock() }));
  const body = Object.assign(document.createElement('div'), { className: 'body', textContent: text });
  item.append(meta, body);
  appendMessage(item);
  return item;
}

function systemMessage(text, level = 'info') {
  const item = Object.assign(document.createElement('li'), { className: `message system ${level}`, textContent: text });
  item.dataset.direction = 'system';
  appendMessage(item);
}

function setStatus(item, status, text) {
  item.dataset.status = status;
  let line = item.querySelector('.status');
  if (!line) {
    line = Object.assign(document.createElement('div'), { className: 'status' });
    item.append(line);
  }
  line.textContent = text;
}

function appendMessage(item) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  while (list.children.length > 1000) list.firstElementChild.remove();
  if (atBottom || item.dataset.direction === 'outgoing') list.scrollTop = list.scrollHeight;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

let renderPending = false;

function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    renderAll();
  });
}

function renderAll() {
  const connectionState = session.connection?.state ?? 'idle';
  const pill = $('signaling-status');
  const admitted = connectionState === 'open' && session.myId;
  pill.dataset.state = admitted ? 'ready' : connectionState;
  pill.title = connectionState === 'closed' ? 'Click to reconnect' : '';
  pill.querySelector('.label').textContent =
    admitted ? (session.room ? `Room · ${session.room}` : 'Lobby') :
    connectionState === 'open' ? (!$('card-auth').classList.contains('hidden') ? 'Sign-in required' : 'Waiting for admission') :
    connectionState === 'connecting' ? 'Connecting…' :
    connectionState === 'closed' ? 'Disconnected · reconnect' : 'Not connected';

  $('my-id').textContent = session.myId ?? '—';
  $('scope-hint').textContent = session.room
    ? 'Everyone in the room connects to you directly.'
    : 'Share this id: the other person pastes it under “Pair”.';

  const inRoom = session.room !== null;
  $('card-pair').classList.toggle('hidden', inRoom);
  $('pair-form').classList.toggle('hidden', session.pairedPeer !== null);
  $('paired-box').classList.toggle('hidden', session.pairedPeer === null);
  if (session.pairedPeer) $('paired-name').textContent = shortId(session.pairedPeer);
  $('room-form').classList.toggle('hidden', inRoom);
  $('in-room-box').classList.toggle('hidden', !inRoom);
  $('members-box').classList.toggle('hidden', !inRoom);
  if (inRoom) $('room-name').textContent = session.room;
  renderMembers();
  renderChatHeader();
  dashboard.render();
}

function renderMembers() {
  const list = $('member-list');
  const items = [];
  const me = document.createElement('li');
  me.className = 'member me';
  me.innerHTML = '<span class="dot" data-channel="open"></span>';
  me.append(Object.assign(document.createElement('span'), { className: 'name', textContent: `${options.name || 'You'} (you)` }));
  items.push(me);
  for (const [clientId, username] of session.members) {
    const link = session.links.get(clientId);
    const channel = link?.state.channel ?? 'none';
    const item = document.createElement('li');
    item.className = 'member';
    item.dataset.clientId = clientId;
    item.dataset.channel = channel;
    const dot = Object.assign(document.createElement('span'), { className: 'dot' });
    dot.dataset.channel = channel;
    item.append(dot);
    item.append(Object.assign(document.createElement('span'), { className: 'name', textContent: username || shortId(clientId) }));
    item.append(Object.assign(document.createElement('span'), { className: 'member-state', textContent: channel === 'open' ? 'connected' : channel === 'none' ? 'waiting' : channel }));
    items.push(item);
  }
  list.replaceChildren(...items);
}

function renderChatHeader() {
  const links = [...session.links.values()];
  const open = links.filter((l) => l.state.channel === 'open').length;
  let title;
  let subtitle;
  let state;
  if (session.room) {
    title = `# ${session.room}`;
    subtitle = `${session.members.size + 1} member${session.members.size ? 's' : ''} · ${open} connected`;
    state = session.members.size === 0 ? 'alone' : open === session.members.size ? 'connected' : 'connecting';
  } else if (session.pairedPeer) {
    const link = session.links.get(session.pairedPeer);
    title = `Chat with ${link?.displayName ?? shortId(session.pairedPeer)}`;
    subtitle = !link ? '' : link.state.channel === 'open'
      ? 'Peer-to-peer · end-to-end encrypted data channel'
      : `Connecting… (ICE ${link.state.iceConnection}, channel ${link.state.channel})`;
    state = open ? 'connected' : 'connecting';
  } else {
    title = 'Lobby';
    subtitle = 'Pair with someone by id, or join a room.';
    state = 'waiting';
  }
  $('chat-title').textContent = title;
  $('chat-subtitle').textContent = subtitle;
  const badge = $('chat-state');
  badge.textContent = state;
  badge.dataset.state = state;
}

function showView() {
  const view = location.hash === '#dashboard' ? 'dashboard' : 'chat';
  for (const section of document.querySelectorAll('section.view')) {
    section.classList.toggle('hidden', section.dataset.view !== view);
  }
  for (const tab of document.querySelectorAll('.tab')) {
    tab.classList.toggle('active', tab.dataset.view === view);
    tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  }
  dashboard.setVisible(view === 'dashboard');
  renderAll();
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function sessionSnapshot() {
  return {
    clientId: session.myId,
    scope: session.room ? 'room' : 'lobby',
    room: session.room,
    signaling: session.connection?.state ?? 'idle',
    signalingUrl: session.connection?.url ?? null,
    pairedPeer: session.pairedPeer,
    members: [...session.members].map(([clientId, username]) => ({ clientId, username })),
    options: { loopback: options.loopback, relayOnly: options.relayOnly },
    iceServers: session.iceServers.map((server) => ({ urls: server.urls })),
    peers: [...session.links.values()].map((link) => link.snapshot()),
    pastPeers: session.pastLinks.map((link) => link.snapshot()),
  };
}

/** Keeps only well-formed RTCIceServer entries from `your_id`'s `ice_servers`. */
function sanitizeIceServers(servers) {
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

function displayName(clientId) {
  return session.members.get(clientId) || shortId(clientId);
}

function clock() {
  return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function setRoomInUrl(room) {
  const next = new URLSearchParams(location.search);
  if (room) next.set('room', room);
  else next.delete('room');
  const query = next.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}

// ---------------------------------------------------------------------------------------------------
// Wiring

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('message-input');
  const text = input.value;
  if (!text.trim()) return;
  input.value = '';
  sendChat(text);
});

$('pair-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const target = $('pair-input').value.trim();
  if (!target) return;
  if (target === session.myId) {
    systemMessage('That is your own id: paste the other person’s id.', 'warn');
    return;
  }
  session.connection?.send({ type: 'pair_request', target_id: target });
});

$('unpair-button').addEventListener('click', () => {
  session.connection?.send({ type: 'unpair' });
  closeLink(session.pairedPeer, 'you ended the chat');
  session.pairedPeer = null;
  systemMessage('You ended the chat. Ready for a new peer.');
  renderAll();
});

$('room-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('room-input').value.trim();
  if (!isValidRoomName(room)) {
    systemMessage('Room names are 1–64 letters, digits, dots, dashes or underscores.', 'warn');
    return;
  }
  setRoomInUrl(room);
  connect(room);
});

$('leave-room-button').addEventListener('click', () => {
  setRoomInUrl(null);
  systemMessage(`You left room ${session.room}.`);
  connect(null);
});

$('auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  options.token = token;
  // After a refusal the server has closed the connection (4001): sign in again on a fresh one.
  if (session.connection?.state === 'open' && !session.myId) sendToken(token);
  else connect(session.room);
});

$('copy-id').addEventListener('click', async () => {
  if (!session.myId) return;
  try {
    await navigator.clipboard.writeText(session.myId);
    $('copy-id').textContent = 'Copied';
  } catch {
    getSelection().selectAllChildren($('my-id'));
    $('copy-id').textContent = 'Selected';
  }
  setTimeout(() => ($('copy-id').textContent = 'Copy'), 1500);
});

$('signaling-status').addEventListener('click', () => {
  if (session.connection?.state === 'closed') connect(session.room);
});

window.addEventListener('hashchange', showView);
window.addEventListener('pagehide', () => {
  closeAllLinks('page closed');
  session.connection?.close();
});

// Read-only view of the session for scripts and tests (e.g. `rendezvous.snapshot()` in the console).
window.rendezvous = Object.freeze({ snapshot: sessionSnapshot, events: () => [...log.entries] });

const initialRoom = params.get('room');
if (initialRoom && !isValidRoomName(initialRoom)) {
  systemMessage(`“${initialRoom}” is not a valid room name; staying in the lobby.`, 'warn');
}
showView();
connect(initialRoom && isValidRoomName(initialRoom) ? initialRoom : null);
