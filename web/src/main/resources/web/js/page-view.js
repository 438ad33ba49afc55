// Draws the page from the session: the signaling pill, your id and invite link, which of the pair / room
// boxes show, the member list, the chat header, the visible tab (chat or dashboard, from the address's
// #hash) and the dashboard. Reads the session, never changes it. Page thread only; rendering is batched
// per animation frame (scheduleRender).

import { shortId } from '../sdk/rendezvous.js';

const $ = (id) => document.getElementById(id);

export class PageView {
  #session;
  #options;
  #dashboard;
  #renderPending = false;

  constructor({ session, options, dashboard }) {
    this.#session = session;
    this.#options = options;
    this.#dashboard = dashboard;
  }

  /** Renders once on the next animation frame, however often it is asked before then. */
  scheduleRender() {
    if (this.#renderPending) return;
    this.#renderPending = true;
    requestAnimationFrame(() => {
      this.#renderPending = false;
      this.renderAll();
    });
  }

  renderAll() {
    const session = this.#session;
    const room = session.room;
    const connectionState = session.rv?.signalingState ?? 'idle';
    const pill = $('signaling-status');
    const admitted = connectionState === 'open' && session.myId;
    pill.dataset.state = admitted ? 'ready' : connectionState;
    pill.title = connectionState === 'closed' ? 'Click to reconnect' : '';
    pill.querySelector('.label').textContent =
      admitted ? (room ? `Room · ${room}` : 'Lobby') :
      connectionState === 'open' ? (!$('card-auth').classList.contains('hidden') ? 'Sign-in required' : 'Waiting for admission') :
      connectionState === 'connecting' ? 'Connecting…' :
      connectionState === 'resuming' ? 'Signaling lost · resuming…' :
      connectionState === 'closed' ? 'Disconnected · reconnect' : 'Not connected';

    $('my-id').textContent = session.myId ?? '—';
    $('scope-hint').textContent = room
      ? 'Everyone in the room connects to you directly. The link brings others into this room.'
      : 'Share this id or the link: the other person pastes the id under “Pair”, or opens the link.';
    $('copy-link').title = room ? 'Copy a link to this room' : 'Copy a link that pairs with you in one click';
    const link = session.inviteLink();
    const shown = $('invite-link');
    if (!link) shown.classList.add('hidden');
    else if (shown.value !== link) shown.value = link;

    const inRoom = room !== null;
    const paired = session.pairedPeer;
    document.body.dataset.scope = inRoom ? 'room' : paired ? 'paired' : 'lobby';
    $('card-pair').classList.toggle('hidden', inRoom);
    $('pair-form').classList.toggle('hidden', paired !== null);
    $('paired-box').classList.toggle('hidden', paired === null);
    if (paired) $('paired-name').textContent = shortId(paired);
    $('room-form').classList.toggle('hidden', inRoom);
    $('in-room-box').classList.toggle('hidden', !inRoom);
    $('members-box').classList.toggle('hidden', !inRoom);
    if (inRoom) $('room-name').textContent = room;
    this.#renderMembers();
    this.#renderChatHeader();
    this.#dashboard.render();
  }

  /** Shows the tab the address names (#dashboard, else the chat). */
  showView() {
    const view = location.hash === '#dashboard' ? 'dashboard' : 'chat';
    for (const section of document.querySelectorAll('section.view')) {
      section.classList.toggle('hidden', section.dataset.view !== view);
    }
    for (const tab of document.querySelectorAll('.tab')) {
      tab.classList.toggle('active', tab.dataset.view === view);
      tab.setAttribute('aria-selected', String(tab.dataset.view === view));
    }
    this.#dashboard.setVisible(view === 'dashboard');
    this.renderAll();
  }

  #renderMembers() {
    const list = $('member-list');
    const items = [];
    const me = document.createElement('li');
    me.className = 'member me';
    me.innerHTML = '<span class="dot" data-channel="open"></span>';
    me.append(Object.assign(document.createElement('span'), { className: 'name', textContent: `${this.#options.name || 'You'} (you)` }));
    items.push(me);
    for (const [clientId, username] of this.#session.members) {
      const link = this.#session.rv?.connection(clientId);
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

  #renderChatHeader() {
    const session = this.#session;
    const members = session.members;
    const open = session.liveLinks().filter((l) => l.state.channel === 'open').length;
    let title;
    let subtitle;
    let state;
    if (session.room) {
      title = `# ${session.room}`;
      subtitle = `${members.size + 1} member${members.size ? 's' : ''} · ${open} connected`;
      state = members.size === 0 ? 'alone' : open === members.size ? 'connected' : 'connecting';
    } else if (session.pairedPeer) {
      const link = session.rv?.connection(session.pairedPeer);
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
}
