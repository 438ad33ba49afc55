package dev.rendezvous.e2e;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;

/** What the admin page's tests do on it and around it: sign in with a token, and have clients join a room it shows. */
final class AdminPage {

    private AdminPage() {}

    /** Types {@code token} into the sign-in form of the admin page and presses "Sign in". */
    static void signIn(Page page, String token) {
        page.locator("#token").fill(token);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
    }

    /** A protocol client admitted to {@code room} as {@code clientId} with this display name (dropped after the test). */
    static WsRecorder joinRoom(ServerExtension server, String room, String clientId, String username) {
        WsRecorder client =
                server.client(server.uri("/ws/" + room + "?client_id=" + clientId + "&username=" + username));
        client.next(Message.YourId.class);
        return client;
    }
}
