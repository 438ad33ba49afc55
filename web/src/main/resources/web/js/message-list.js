// The chat's message list (#messages): outgoing, incoming and system lines, each outgoing line with its
// delivery status as the SDK settles it. At most 1 000 lines are kept; the list follows new lines while
// the reader is at the bottom. Page thread only.

import { Outcome } from '../sdk/rendezvous.js';

export function summarizeOutcomes(outcomes, total) {
  const count = (outcome) => [...outcomes.values()].filter((o) => o.outcome === outcome).length;
  const sent = count(Outcome.SENT);
  const queued = count(Outcome.QUEUED);
  const failed = total - sent - queued;
  const reasons = [...new Set([...outcomes.values()].filter((o) => o.reason).map((o) => o.reason))];
  if (failed) return ['refused', `Not delivered to ${failed} of ${total}: ${reasons.join('; ')}`];
  if (queued) return ['queued', total > 1 ? `Queued for ${queued} of ${total} (connecting)` : 'Queued — sends when connected'];
  return ['sent', total > 1 ? `Sent to ${total}` : 'Sent'];
}

export function chatMessage(direction, author, text, { from = null } = {}) {
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

export function systemMessage(text, level = 'info') {
  const item = Object.assign(document.createElement('li'), { className: `message system ${level}`, textContent: text });
  item.dataset.direction = 'system';
  appendMessage(item);
}

export function setStatus(item, status, text) {
  item.dataset.status = status;
  let line = item.querySelector('.status');
  if (!line) {
    line = Object.assign(document.createElement('div'), { className: 'status' });
    item.append(line);
  }
  line.textContent = text;
}

function appendMessage(item) {
  const list = document.getElementById('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  while (list.children.length > 1000) list.firstElementChild.remove();
  if (atBottom || item.dataset.direction === 'outgoing') list.scrollTop = list.scrollHeight;
}

function clock() {
  return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
