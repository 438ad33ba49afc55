/**
 * The {@code rendezvous} command line (picocli): one class per subcommand. Commands run on the main
 * thread and block it until done; the work they start (server, peers) runs on its own threads.
 */
package dev.rendezvous.cli;
