package dev.rendezvous.server.peerjs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PeerJS client's id rule (util.validateId), capped at 64 characters. */
class PeerJsIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "A1", "alice", "with space", "a-b_c d", "550e8400-e29b-41d4-a716-446655440000"})
    void idsOfTheClientsRuleAreValid(String id) {
        assertThat(PeerJsIds.valid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " a", "a ", "a  b", "a--b", "-a", "a_", "a.b", "a/b", "é", "a\u0000b", "a\nb"})
    void othersAreNot(String id) {
        assertThat(PeerJsIds.valid(id)).isFalse();
    }

    @Test
    void sixtyFourCharactersAtMost() {
        assertThat(PeerJsIds.valid("x".repeat(64))).isTrue();
        assertThat(PeerJsIds.valid("x".repeat(65))).isFalse();
        assertThat(PeerJsIds.valid(null)).isFalse();
    }

    @Test
    void freshIdsFitTheRuleAndDiffer() {
        String a = PeerJsIds.fresh();
        assertThat(PeerJsIds.valid(a)).isTrue();
        assertThat(PeerJsIds.fresh()).isNotEqualTo(a);
    }
}
