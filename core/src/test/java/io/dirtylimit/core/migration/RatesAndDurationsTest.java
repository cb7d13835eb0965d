package io.dirtylimit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirtylimit.core.Durations;
import io.dirtylimit.core.Rates;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one place rates and durations are read and written, and the one list of migration mode names. */
class RatesAndDurationsTest {

    @ParameterizedTest
    @CsvSource({"200, 200", "12.5, 12.5", "512K, 0.5", "200m, 200", "1G, 1024", "0, 0", "-5, -5"})
    void ratesTakeUnits(String text, double mbps) {
        assertThat(Rates.parse(text)).isEqualTo(mbps);
    }

    @Test
    void badRatesSayWhatARateLooksLike() {
        for (String bad : new String[] {"", "fast", "G", "1T", "NaN", "Infinity", "1e3x", "1e3"}) {
            assertThatThrownBy(() -> Rates.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rate '" + bad + "' is not a number of MB/s (e.g. 200, 12.5, 512K, 200M, 1G; per second)");
        }
        assertThatThrownBy(() -> Rates.checkLimit(-5)).hasMessage("dirty rate must be a finite number of MB/s >= 0, got -5.0");
        assertThat(Rates.checkLimit(0)).isZero();
    }

    @Test
    void ratesArePrintedAsWritten() {
        assertThat(Rates.format(200)).isEqualTo("200");
        assertThat(Rates.format(12.5)).isEqualTo("12.5");
        assertThat(Rates.format(1.0 / 3)).isEqualTo("0.333");
        assertThat(Rates.format(19.95)).isEqualTo("19.95");
        assertThat(Rates.formatMeasured(198.44)).isEqualTo("198.4");
    }

    @Test
    void durations() {
        assertThat(Durations.parseOrNull("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parseOrNull("5")).isNull();
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2s");
    }

    @Test
    void migrationModeNames() {
        assertThat(MigrationMode.keywords()).isEqualTo("off, fit, qemu, auto-converge");
        assertThat(MigrationMode.switchWords()).isEqualTo("off, auto, fit, qemu, auto-converge");
        assertThat(MigrationMode.forSwitch("auto")).isEqualTo(MigrationMode.FIT);
        assertThat(MigrationMode.forSwitch("auto-converge")).isEqualTo(MigrationMode.AUTO_CONVERGE);
        assertThatThrownBy(() -> MigrationMode.forSwitch("fast"))
                .hasMessage("migration mode 'fast' is not one of off, auto, fit, qemu, auto-converge");
        assertThat(MigrationSettings.DEFAULTS.withMode(MigrationMode.FIT).describe())
                .isEqualTo("fit, trigger 50 % of bytes sent, twice in a row, period 1s, budget 40 % of the link, floor 1 MB/s");
    }
}
