package dev.rendezvous.cli;

/** Entry point of the {@code rendezvous} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("rendezvous: not yet");
    }
}
