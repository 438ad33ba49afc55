// The page's address: the options its query string gives (read once, at load) and the edits the page makes
// to it without reloading (the room it is in, an invite link used up). Page thread only.
//
// Options: room=NAME joins a room, pair=ID pairs with that id as soon as the server admits the page (an
// invite link), loopback=1 signals only 127.* candidates (tests, single-host use), relay=1 forces TURN
// relays, token=JWT answers auth_required, name=NAME display name.

/** What the query string asks for; `token` changes when the user signs in, the rest stays. */
export function readPageOptions(location) {
  const params = new URLSearchParams(location.search);
  return {
    loopback: params.get('loopback') === '1',
    relayOnly: params.get('relay') === '1',
    token: params.get('token') ?? '',
    name: params.get('name') ?? '',
    room: params.get('room'),
    invite: params.get('pair')?.trim() || null,
  };
}

/** Puts the room in the address (null: takes it out), so a reload comes back to it. */
export function setRoomInAddress(room) {
  editQuery((query) => (room ? query.set('room', room) : query.delete('room')));
}

/** Takes ?pair= out of the address: an invite link pairs once, a reload does not pair again. */
export function dropInviteFromAddress() {
  editQuery((query) => query.delete('pair'));
}

function editQuery(edit) {
  const next = new URLSearchParams(location.search);
  edit(next);
  const query = next.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}
