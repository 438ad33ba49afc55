package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.e2e.E2eFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A room of three SDK pages with camera and microphone: a full mesh of calls; one leaves, the others carry on. */
class SdkRoomTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void threePagesCallEachOtherAndTwoCarryOnWhenOneLeaves() {
        SdkPage ana = join("ana");
        ana.startCamera(); // before anyone is there: sent to every peer that comes later
        SdkPage ben = join("ben");
        ben.startCamera();
        SdkPage cleo = join("cleo");
        cleo.startCamera();
        List<SdkPage> all = List.of(ana, ben, cleo);

        for (SdkPage page : all) {
            for (SdkPage other : all) {
                if (other != page) {
                    page.awaitOpen(other.id());
                    page.awaitMediaFrom(other.id());
                }
            }
        }

        cleo.close();
        for (SdkPage page : List.of(ana, ben)) {
            page.awaitTrue("id => rv.connection(id) === null && !rv.members.has(id)", cleo.id());
            assertThat(page.eval("() => rv.connections.size")).isEqualTo(1);
        }
        ana.awaitMediaFrom(ben.id());
        ben.awaitMediaFrom(ana.id());
        assertThat(ana.send(ben.id(), "just us two")).isEqualTo("sent");
        ben.awaitReceived(ana.id() + ": just us two");
        assertThat(ana.consoleErrors()).isEmpty();
        assertThat(ben.consoleErrors()).isEmpty();
    }

    private SdkPage join(String name) {
        return SdkPage.open(e2e, Map.of("room", "video-room", "username", name));
    }
}
