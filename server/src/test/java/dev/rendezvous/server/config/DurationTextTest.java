package dev.rendezvous.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsUnitsCombinationsAndIso() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void formatsBackToTheShortestForm() {
        assertThat(DurationText.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationText.format(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    @Test
    void refusesGarbageQuotingIt() {
        assertThatThrownBy(() -> DurationText.parse("1 hour")).hasMessageContaining("'1 hour' is not a duration");
        assertThatThrownBy(() -> DurationText.parse("10")).hasMessageContaining("'10' is not a duration");
        assertThatThrownBy(() -> DurationText.parse("Pxyz")).hasMessageContaining("is not a duration");
    }
}
