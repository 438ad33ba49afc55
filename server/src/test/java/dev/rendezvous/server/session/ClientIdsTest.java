package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClientIdsTest {
    private static final Pattern V4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    @Test
    void idsAreVersion4UuidsInTextForm() {
        for (int i = 0; i < 1_000; i++) {
            String id = ClientIds.next();
            assertThat(id).matches(V4).matches(Connection.NAME);
            UUID parsed = UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
        }
    }

    @Test
    void idsAreDistinctAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<List<String>> batch = () -> java.util.stream.Stream.generate(ClientIds::next)
                    .limit(5_000)
                    .toList();
            List<Future<List<String>>> futures = pool.invokeAll(List.of(batch, batch, batch, batch));
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : futures) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(20_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theGeneratorIsTheJdksStrongDrbg() {
        assertThat(ClientIds.newGenerator().getAlgorithm()).isEqualTo("DRBG");
    }

    @Test
    void randomBitsAreSpreadEvenly() {
        // 122 random bits per id: over 4 000 ids each of the 30 free hex digits is near-uniform.
        int[] counts = new int[16];
        for (int i = 0; i < 4_000; i++) {
            String hex = ClientIds.next().replace("-", "");
            for (int d = 0; d < 12; d++) { // the first 12 digits carry no fixed bits
                counts[Character.digit(hex.charAt(d), 16)]++;
            }
        }
        for (int c : counts) { // expected 3 000 each; 6 sigma is ~ ±320
            assertThat(c).isBetween(2_600, 3_400);
        }
    }
}
