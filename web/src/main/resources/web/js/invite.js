// Invite links and copying them: `?pair=ID` pairs with ID as soon as the page is admitted, `?room=NAME`
// joins the room. Page thread only.

/**
 * The link that brings someone else to you: your room (?room=NAME) in a room, else your id (?pair=ID).
 * Carries the page's network options (loopback, relay) — both sides need the same — and nothing personal
 * (no token, no name).
 */
export function buildInviteLink(location, { room, id, loopback, relayOnly }) {
  const query = new URLSearchParams();
  if (room) query.set('room', room);
  else query.set('pair', id);
  if (loopback) query.set('loopback', '1');
  if (relayOnly) query.set('relay', '1');
  return `${location.origin}${location.pathname}?${query}`;
}

/**
 * Copies `text`; when the clipboard is refused (no permission, an insecure origin) runs `fallback`, which
 * shows the text selected for the user to copy. The button says which happened for a moment.
 */
export async function copyWithFallback({ log, button, text, label }, fallback) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
    log.add('app', 'copied', { what: label });
  } catch (error) {
    fallback();
    button.textContent = 'Select & copy';
    log.add('app', 'copy_refused', { what: label, error: error?.message ?? String(error) }, 'warn');
  }
  setTimeout(() => (button.textContent = label), 1500);
}
