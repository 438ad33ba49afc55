// The live admin page: polls the admin API every second with the token kept in sessionStorage, renders
// counts, nodes, rooms and sessions, and draws two small canvas charts (connections, frames in per second).
const TOKEN_KEY = 'rendezvous-admin-token';
const POLL_MS = 1000;
const HISTORY = 120;

const $ = (id) => document.getElementById(id);
const history = { connections: [], rate: [] };
let lastFrames = null;
let timer = null;

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function status(state, text) {
  $('status').dataset.state = state;
  $('status-text').textContent = text;
}

async function api(path) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token() }, cache: 'no-store' });
  if (r.status === 401) throw Object.assign(new Error('the server refused this admin token'), { auth: true });
  if (r.status === 404) throw Object.assign(new Error('the admin API is off on this server'), { auth: true });
  if (!r.ok) throw new Error(path + ' answered ' + r.status);
  return r.json();
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text == null ? '—' : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
}

function time(ms) { return new Date(ms).toLocaleTimeString(); }

function renderNodes(data) {
  const c = data.counts;
  $('count-nodes').textContent = c.nodes;
  $('count-connections').textContent = c.connections;
  $('count-sessions').textContent = c.sessions;
  $('count-rooms').textContent = c.rooms + ' (' + c.room_members + ' in rooms)';
  const body = $('nodes').tBodies[0];
  body.replaceChildren();
  for (const n of data.nodes) {
    const tr = body.insertRow();
    cell(tr, n.id); cell(tr, n.address); cell(tr, time(n.started));
    cell(tr, n.connections, 'num'); cell(tr, n.sessions, 'num');
  }
}

function renderRooms(data) {
  const box = $('rooms');
  box.replaceChildren();
  if (data.rooms.length === 0) {
    const p = document.createElement('p'); p.className = 'hint'; p.textContent = 'no rooms'; box.appendChild(p);
    return;
  }
  for (const room of data.rooms) {
    const div = document.createElement('div'); div.className = 'room'; div.dataset.room = room.id;
    const title = document.createElement('strong'); title.textContent = room.id + ' (' + room.members.length + ')';
    const ul = document.createElement('ul');
    for (const m of room.members) {
      const li = document.createElement('li'); li.className = 'room-member';
      li.textContent = m.id + (m.username ? ' — ' + m.username : '') + ' @ ' + m.node;
      ul.appendChild(li);
    }
    div.append(title, ul);
    box.appendChild(div);
  }
}

function renderSessions(data) {
  const body = $('sessions').tBodies[0];
  body.replaceChildren();
  let frames = 0;
  for (const s of data.sessions) {
    frames += s.frames_in;
    const tr = body.insertRow();
    cell(tr, s.id); cell(tr, s.username); cell(tr, s.room ?? 'lobby'); cell(tr, s.peer); cell(tr, s.state);
    cell(tr, time(s.connected_since)); cell(tr, s.frames_in, 'num'); cell(tr, s.frames_out, 'num');
    cell(tr, s.bytes_in, 'num'); cell(tr, s.bytes_out, 'num'); cell(tr, s.remote_address); cell(tr, s.node);
  }
  return frames;
}

function push(series, value) {
  series.push(value);
  if (series.length > HISTORY) series.shift();
}

function chart(canvas, series, color) {
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 24;
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...series);
  g.strokeStyle = '#e3e6ed'; g.lineWidth = 1;
  g.beginPath(); g.moveTo(pad, h - pad); g.lineTo(w, h - pad); g.moveTo(pad, 4); g.lineTo(pad, h - pad); g.stroke();
  g.fillStyle = '#667085'; g.font = '16px sans-serif';
  g.fillText(String(Math.round(max)), pad + 4, 18);
  if (series.length < 2) return;
  g.strokeStyle = color; g.lineWidth = 2.5; g.beginPath();
  series.forEach((v, i) => {
    const x = pad + (w - pad) * i / (HISTORY - 1);
    const y = (h - pad) - (h - pad - 8) * v / max;
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

async function poll() {
  try {
    const [nodes, rooms, sessions] = await Promise.all([api('/admin/api/nodes'), api('/admin/api/rooms'), api('/admin/api/sessions')]);
    renderNodes(nodes);
    renderRooms(rooms);
    const frames = renderSessions(sessions);
    const now = performance.now();
    // Frames of sessions that left drop out of the sum: never chart a negative rate.
    const rate = lastFrames ? Math.max(0, (frames - lastFrames.frames) * 1000 / (now - lastFrames.at)) : 0;
    lastFrames = { frames, at: now };
    push(history.connections, nodes.counts.connections);
    push(history.rate, rate);
    $('count-rate').textContent = rate.toFixed(1);
    chart($('chart-connections'), history.connections, '#4f46e5');
    chart($('chart-rate'), history.rate, '#06b6d4');
    $('partial').textContent = nodes.complete ? '' : 'the cluster backplane is unreachable: only this node is shown';
    status('ready', 'live · ' + new Date().toLocaleTimeString());
  } catch (e) {
    if (e.auth) {
      signOut(e.message);
      return;
    }
    status('connecting', 'retrying: ' + e.message);
  }
  timer = setTimeout(poll, POLL_MS);
}

function signOut(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKEN_KEY);
  $('board').classList.add('hidden');
  $('login').classList.remove('hidden');
  $('login-error').textContent = message || '';
  $('login-error').classList.toggle('hidden', !message);
  status('closed', 'signed out');
}

function signIn() {
  $('login').classList.add('hidden');
  $('board').classList.remove('hidden');
  status('connecting', 'loading');
  poll();
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  signIn();
});

if (token()) signIn();
