package dev.rendezvous.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rendezvous chat}: not implemented yet. */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chats with a peer over a WebRTC data channel.")
final class ChatCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rendezvous chat: not implemented yet");
        return 2;
    }
}
