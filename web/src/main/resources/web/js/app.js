// The Rendezvous page: a user of the browser SDK (../sdk/rendezvous.js) — lobby pairing, room mesh,
// calls (camera, microphone, screen) — plus the chat view and the dashboard. This file only puts the page's
// parts together and starts it; every protocol step lives in the SDK, and each part in its own module:
// page-address.js (options from the query string), page-session.js (the session), connector.js (lobby and
// rooms through the SDK), chat-sender.js (what happens to a line), page-view.js (rendering), controls.js
// (the forms and buttons), ice-hint-banner.js, calls.js, files-ui.js, dashboard.js, event-log.js.
// Everything runs on the page's single thread; rendering is batched per animation frame.

import { EventLog } from './event-log.js';
import { isValidRoomName } from '../sdk/rendezvous.js';
import { Dashboard } from './dashboard.js';
import { Calls } from './calls.js';
import { FilesUi } from './files-ui.js';
import { systemMessage } from './message-list.js';
import { readPageOptions } from './page-address.js';
import { PageSession } from './page-session.js';
import { PageView } from './page-view.js';
import { ChatSender } from './chat-sender.js';
import { IceHintBanner } from './ice-hint-banner.js';
import { Connector } from './connector.js';
import { wireControls } from './controls.js';

const options = readPageOptions(location);
const log = new EventLog();

const session = new PageSession({ options, onChange: () => view.scheduleRender() });
const dashboard = new Dashboard({ log, session: () => session.snapshot(), links: () => session.allLinks(), root: document });
const view = new PageView({ session, options, dashboard });
const calls = new Calls({ root: document, log, rendezvous: () => session.rv, onChange: () => view.scheduleRender() });
const files = new FilesUi({ root: document, rendezvous: () => session.rv, log });
const chat = new ChatSender({ session, log });
const hint = new IceHintBanner({ root: document, log });
const connector = new Connector({ session, options, log, calls, files, view, chat, hint });
wireControls({ session, options, log, connector, chat, view });

window.addEventListener('hashchange', () => view.showView());
window.addEventListener('pagehide', () => {
  session.rv?.close();
});

// Read-only view of the session for scripts and tests (e.g. `rendezvous.snapshot()` in the console).
window.rendezvous = Object.freeze({ snapshot: () => session.snapshot(), events: () => [...log.entries], sdk: () => session.rv });

const initialRoom = options.room;
if (initialRoom && !isValidRoomName(initialRoom)) {
  systemMessage(`“${initialRoom}” is not a valid room name; staying in the lobby.`, 'warn');
}
if (session.invite && initialRoom && isValidRoomName(initialRoom)) {
  systemMessage('The link names a room and a peer: joining the room (pairing is for the lobby).', 'warn');
  session.invite = null;
}
view.showView();
connector.connect(initialRoom && isValidRoomName(initialRoom) ? initialRoom : null);
