// The 30-line video call of docs/sdk-js.md, typed: this file must compile against rendezvous.d.ts.
import { Rendezvous, type Connection, type SendResult } from 'rendezvous-sdk';

const rv = new Rendezvous({ server: 'http://127.0.0.1:8080', room: 'demo', username: 'ana' });
const grid = document.getElementById('grid') as HTMLElement;

function show(stream: MediaStream, label: string, muted = false): void {
  const video = document.createElement('video');
  Object.assign(video, { srcObject: stream, autoplay: true, playsInline: true, muted, title: label });
  grid.append(video);
}

rv.addEventListener('open', async (event) => {
  const id: string = event.detail.id;
  const camera = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  show(camera, `me (${id})`, true);
  rv.addStream(camera); // every peer in the room, now and later
});

rv.addEventListener('connection', (event) => {
  const connection: Connection = event.detail;
  connection.addEventListener('track', ({ detail }) => {
    if (detail.track.kind === 'video') show(detail.stream, connection.displayName);
  });
  connection.addEventListener('data', ({ detail }) => console.log(`${connection.peerId}: ${detail}`));
  connection.addEventListener('open', () => {
    const result: SendResult = connection.send('hello');
    if (result.outcome === 'refused') console.warn(result.code, result.reason);
  });
});

rv.addEventListener('peerleft', ({ detail }) => console.log(`${detail.username ?? detail.id} left`));
rv.addEventListener('close', ({ detail }) => console.log('signaling closed', detail.code));
