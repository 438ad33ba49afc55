/**
 * File transfer over WebRTC data channels: one channel per file (label {@code file:<n>}), metadata first
 * (name, size, SHA-256), then binary chunks, then {@code end}; the receiver states the offset it resumes
 * from, acknowledges what it has written (the sender never runs more than a window ahead, so the
 * receiver's memory stays bounded), verifies the hash and only then renames {@code name.part} to
 * {@code name}. The wire format is described in {@code docs/files.md}.
 *
 * <p>Threading rule: {@link dev.rendezvous.client.files.IncomingFile} runs on the owning peer's event
 * thread (it is a channel listener) and writes to disk there, one chunk at a time (on a resume it
 * also hashes the bytes already in {@code name.part} there, once); only the flushes of a growing part
 * file to disk run on a shared daemon thread ({@link dev.rendezvous.client.files.BackgroundSync}), and the
 * event thread waits for the last one when the file ends;
 * {@link dev.rendezvous.client.files.FileSender#send} blocks the calling thread, never the event thread.
 */
package dev.rendezvous.client.files;
