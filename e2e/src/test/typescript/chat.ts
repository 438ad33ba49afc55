// The lobby chat of docs/sdk-js.md, typed, plus the rest of the public surface.
import {
  Rendezvous, Outcome, fetchIceServers, isPolite, DEFAULT_LIMITS, type MediaStats, type RendezvousError,
} from 'rendezvous-sdk';

const rv = new Rendezvous({
  server: 'http://127.0.0.1:8080', loopback: true, sendLimits: { queueExpiryMs: 5_000 }, iceRestart: { maxAttempts: 2 },
});
rv.addEventListener('open', ({ detail }) => console.log('my id', detail.id, detail.iceServers.length));
rv.addEventListener('error', ({ detail }) => console.warn(detail.code, detail.message, detail.ref));

export async function chatWith(peerId: string): Promise<void> {
  try {
    const connection = await rv.connect(peerId);
    const first = connection.send('hi', (settled) => console.log('settled', settled.outcome));
    if (first.outcome === Outcome.QUEUED) console.log('queued until the channel opens');
    const stats: MediaStats | null = await connection.mediaStats();
    console.log(stats?.inbound.video?.framesDecoded ?? 0, connection.state.iceConnection, connection.metrics.sent);
    connection.restartIce('manual');
  } catch (error) {
    console.warn((error as RendezvousError).code);
  }
}

export async function extras(): Promise<number> {
  const servers: RTCIceServer[] = await fetchIceServers({ server: 'http://127.0.0.1:8080' });
  const sent = rv.broadcast('everyone', (peerId, result) => console.log(peerId, result.outcome));
  rv.unpair();
  rv.close();
  return servers.length + sent.length + DEFAULT_LIMITS.maxQueuedMessages + (isPolite('a', 'b') ? 1 : 0);
}
