// The Rendezvous page: a user of the browser SDK (../sdk/rendezvous.js) — lobby pairing, room mesh,
// calls (camera, microphone, screen) — plus the chat view and the dashboard. This file is UI only: every
// protocol step lives in the SDK.
// Page options (query string): room=NAME joins a room, pair=ID pairs with that id as soon as the server
// admits the page (an invite link), loopback=1 signals only 127.* candidates (tests, single-host use),
// relay=1 forces TURN relays, token=JWT answers auth_required, name=NAME display name.
// Everything runs on the page's single thread; rendering is batched per animation frame.

import { EventLog } from './event-log.js';
import { Rendezvous, isValidRoomName, shortId } from '../sdk/rendezvous.js';
import { iceHintText } from './ice-hint.js';
import { buildInviteLink, copyWithFallback } from './invite.js';
import { Dashboard } from './dashboard.js';
import { Calls } from './calls.js';
import { FilesUi } from './files-ui.js';
import { chatMessage, setStatus, summarizeOutcomes, systemMessage } from './message-list.js';

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
  rv: null, // the Rendezvous of the current lobby or room connection
  pastLinks: [], // closed connections, newest first, for the dashboard
  invite: params.get('pair')?.trim() || null, // ?pair=ID: pair with ID once admitted (used once)
};

const dashboard = new Dashboard({ log, session: () => sessionSnapshot(), links: () => allLinks(), root: document });
const calls = new Calls({ root: document, log, rendezvous: () => session.rv, onChange: () => scheduleRender() });
const files = new FilesUi({ root: document, rendezvous: () => session.rv, log });

// ---------------------------------------------------------------------------------------------------
// Signaling (through the SDK)

function connect(room) {
  const previous = session.rv;
  if (previous) {
    for (const connection of previous.connections.values()) retire(connection);
    previous.close();
  }
  const rv = new Rendezvous({
    room,
    username: options.name || null,
    token: options.token || null,
    loopback: options.loopback,
    relayOnly: options.relayOnly,
    logger: log,
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
    if (!room && session.invite) followInvite(rv, session.invite);
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
  on('connection', (connection) => watchConnection(connection));
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
function followInvite(rv, target) {
  session.invite = null;
  const next = new URLSearchParams(location.search);
  next.delete('pair');
  const query = next.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  if (target === rv.id) {
    systemMessage('This invite link is your own: send it to the other person.', 'warn');
    return;
  }
  systemMessage(`Opening the invite from ${shortId(target)}…`);
  log.add('app', 'invite_followed', { peer: target });
  rv.connect(target).catch(() => {}); // refusals (peer_not_found, …) arrive as 'error' events
}

function watchConnection(connection) {
  connection.addEventListener('open', () => {
    systemMessage(`Connected to ${connection.displayName} (${connection.metrics.timeToConnectMs} ms).`);
    clearIceHint(connection.peerId);
  });
  connection.addEventListener('candidatewarning', (event) => showIceHint(connection, event.detail));
  connection.addEventListener('close', () => clearIceHint(connection.peerId));
  connection.addEventListener('change', scheduleRender);
  connection.addEventListener('data', (event) => chatMessage('incoming', connection.displayName, event.detail, { from: connection.peerId }));
  connection.addEventListener('close', () => retire(connection));
}

/** Keeps a closed connection for the dashboard's history. */
function retire(connection) {
  if (session.pastLinks.includes(connection)) return;
  session.pastLinks.unshift(connection);
  session.pastLinks.length = Math.min(session.pastLinks.length, 10);
  scheduleRender();
}

function liveLinks() {
  return session.rv ? [...session.rv.connections.values()] : [];
}

function allLinks() {
  return { live: liveLinks(), past: session.pastLinks };
}

// ---------------------------------------------------------------------------------------------------
// Chat

// A line typed with nobody to send to is refused, not held for whoever pairs next: on this page anyone
// who has your id can pair with you, so a held line could reach a reader you never chose (docs/web.md).
// Once a pairing or a room member exists, lines queue until the channel opens (the SDK's safe send).
function sendChat(text) {
  const links = liveLinks();
  const item = chatMessage('outgoing', 'You', text, {});
  if (!links.length) {
    setStatus(item, 'refused', 'Nobody to send to yet: pair with someone or join a room, then send it again. Not kept for a later peer.');
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

// ---------------------------------------------------------------------------------------------------
// Hints and invite links

function showIceHint(connection, detail) {
  const text = iceHintText(detail);
  const hint = $('ice-hint');
  hint.textContent = text;
  hint.dataset.peerId = connection.peerId;
  hint.dataset.reason = detail.reason;
  hint.classList.remove('hidden');
  systemMessage(text, 'warn');
  log.add('app', 'ice_hint', { peer: connection.peerId, reason: detail.reason, text }, 'warn');
}

function clearIceHint(peerId) {
  const hint = $('ice-hint');
  if (hint.dataset.peerId !== peerId) return;
  hint.classList.add('hidden');
  delete hint.dataset.peerId;
}

/** The link that brings someone else to you (invite.js): your room in a room, else your id. */
function inviteLink() {
  if (!myId()) return null;
  return buildInviteLink(location, { room: currentRoom(), id: myId(), loopback: options.loopback, relayOnly: options.relayOnly });
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
  const connectionState = session.rv?.signalingState ?? 'idle';
  const pill = $('signaling-status');
  const admitted = connectionState === 'open' && myId();
  pill.dataset.state = admitted ? 'ready' : connectionState;
  pill.title = connectionState === 'closed' ? 'Click to reconnect' : '';
  pill.querySelector('.label').textContent =
    admitted ? (currentRoom() ? `Room · ${currentRoom()}` : 'Lobby') :
    connectionState === 'open' ? (!$('card-auth').classList.contains('hidden') ? 'Sign-in required' : 'Waiting for admission') :
    connectionState === 'connecting' ? 'Connecting…' :
    connectionState === 'resuming' ? 'Signaling lost · resuming…' :
    connectionState === 'closed' ? 'Disconnected · reconnect' : 'Not connected';

  $('my-id').textContent = myId() ?? '—';
  $('scope-hint').textContent = currentRoom()
    ? 'Everyone in the room connects to you directly. The link brings others into this room.'
    : 'Share this id or the link: the other person pastes the id under “Pair”, or opens the link.';
  $('copy-link').title = currentRoom() ? 'Copy a link to this room' : 'Copy a link that pairs with you in one click';
  const link = inviteLink();
  const shown = $('invite-link');
  if (!link) shown.classList.add('hidden');
  else if (shown.value !== link) shown.value = link;

  const inRoom = currentRoom() !== null;
  document.body.dataset.scope = inRoom ? 'room' : pairedPeer() ? 'paired' : 'lobby';
  $('card-pair').classList.toggle('hidden', inRoom);
  $('pair-form').classList.toggle('hidden', pairedPeer() !== null);
  $('paired-box').classList.toggle('hidden', pairedPeer() === null);
  if (pairedPeer()) $('paired-name').textContent = shortId(pairedPeer());
  $('room-form').classList.toggle('hidden', inRoom);
  $('in-room-box').classList.toggle('hidden', !inRoom);
  $('members-box').classList.toggle('hidden', !inRoom);
  if (inRoom) $('room-name').textContent = currentRoom();
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
  for (const [clientId, username] of members()) {
    const link = session.rv?.connection(clientId);
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
  const links = liveLinks();
  const open = links.filter((l) => l.state.channel === 'open').length;
  let title;
  let subtitle;
  let state;
  if (currentRoom()) {
    title = `# ${currentRoom()}`;
    subtitle = `${members().size + 1} member${members().size ? 's' : ''} · ${open} connected`;
    state = members().size === 0 ? 'alone' : open === members().size ? 'connected' : 'connecting';
  } else if (pairedPeer()) {
    const link = session.rv?.connection(pairedPeer());
    title = `Chat with ${link?.displayName ?? shortId(pairedPeer())}`;
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
    clientId: myId(),
    scope: currentRoom() ? 'room' : 'lobby',
    room: currentRoom(),
    signaling: session.rv?.signalingState ?? 'idle',
    signalingUrl: session.rv?.signalingUrl ?? null,
    resume: session.rv?.resumeStats ?? { lost: 0, resumes: 0, replayed: 0, resent: 0, failures: 0 },
    pairedPeer: pairedPeer(),
    members: [...members()].map(([clientId, username]) => ({ clientId, username })),
    options: { loopback: options.loopback, relayOnly: options.relayOnly },
    iceServers: (session.rv?.iceServers ?? []).map((server) => ({ urls: server.urls })),
    peers: liveLinks().map((link) => link.snapshot()),
    pastPeers: session.pastLinks.map((link) => link.snapshot()),
  };
}

function myId() {
  return session.rv?.id ?? null;
}

function currentRoom() {
  return session.rv?.room ?? null;
}

function pairedPeer() {
  return session.rv?.pairedPeer ?? null;
}

function members() {
  return session.rv?.members ?? new Map();
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
  if (target === myId()) {
    systemMessage('That is your own id: paste the other person’s id.', 'warn');
    return;
  }
  session.rv?.connect(target).catch(() => {}); // refusals arrive as 'error' events, shown by connect()
});

$('unpair-button').addEventListener('click', () => {
  session.rv?.unpair();
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
  systemMessage(`You left room ${currentRoom()}.`);
  connect(null);
});

$('auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  options.token = token;
  // After a refusal the server has closed the connection (4001): sign in again on a fresh one.
  if (session.rv?.signalingState === 'open' && !myId()) session.rv.authenticate(token);
  else connect(currentRoom());
});

$('copy-id').addEventListener('click', () => {
  if (!myId()) return;
  copyWithFallback({ log, button: $('copy-id'), text: myId(), label: 'Copy id' }, () => getSelection().selectAllChildren($('my-id')));
});

// The clipboard may be refused (no permission, an insecure origin): the link is then shown, selected.
$('copy-link').addEventListener('click', () => {
  const link = inviteLink();
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
  if (session.rv?.signalingState === 'closed') connect(currentRoom());
});

window.addEventListener('hashchange', showView);
window.addEventListener('pagehide', () => {
  session.rv?.close();
});

// Read-only view of the session for scripts and tests (e.g. `rendezvous.snapshot()` in the console).
window.rendezvous = Object.freeze({ snapshot: sessionSnapshot, events: () => [...log.entries], sdk: () => session.rv });

const initialRoom = params.get('room');
if (initialRoom && !isValidRoomName(initialRoom)) {
  systemMessage(`“${initialRoom}” is not a valid room name; staying in the lobby.`, 'warn');
}
if (session.invite && initialRoom && isValidRoomName(initialRoom)) {
  systemMessage('The link names a room and a peer: joining the room (pairing is for the lobby).', 'warn');
  session.invite = null;
}
showView();
connect(initialRoom && isValidRoomName(initialRoom) ? initialRoom : null);
