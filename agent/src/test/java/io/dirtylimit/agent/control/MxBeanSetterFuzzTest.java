package io.dirtylimit.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.fuzz.Fuzz;
import io.dirtylimit.core.DirtyLimiter;
import io.dirtylimit.core.Durations;
import io.dirtylimit.core.GuardMode;
import io.dirtylimit.core.migration.MigrationMode;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the MXBean's setters and limit operations (what a JMX client, jconsole or the tool sends)
 * on a real installation's parts (the core's limiter, the limit service, the migration governor):
 * every value is taken or refused with an {@link IllegalArgumentException} (the documented type: a
 * JMX client sees it as the cause of a RuntimeMBeanException), never another exception; what was
 * taken reads back through the getters, and writing what a getter read changes nothing.
 */
class MxBeanSetterFuzzTest {
    private static final String ALPHABET = "0123456789.msMKGeE-+ abcdefghilnoprtuvyzIAO";

    private final ControlParts parts = new ControlParts();
    private final DirtyLimitMXBean bean = new DirtyLimitControl(() -> parts, "test");

    @AfterEach
    void close() {
        parts.throttle.close();
    }

    /** One call on the MXBean, and what must hold after it was taken. */
    record Call(String what, Runnable call, Runnable check) {}

    /** One generator per setter or operation: a new one is one more entry. */
    private final List<Function<Fuzz, Call>> calls = List.of(
            f -> {
                String period = f.chance(0.3) ? null : text(f, List.of("10ms", "1s", "1.5s", "500ms", "10s", "0.01s", "2m", "1e1ms"));
                return new Call("setPeriod(" + Fuzz.show(period) + ")", () -> bean.setPeriod(period), () -> {
                    assertThat(Durations.parseOrNull(bean.getPeriod())).isEqualTo(parts.limiter().period());
                    bean.setPeriod(bean.getPeriod());
                    assertThat(Durations.parseOrNull(bean.getPeriod())).isEqualTo(Durations.parseOrNull(period));
                });
            },
            f -> {
                String policy = f.chance(0.05) ? null : text(f, List.copyOf(DirtyLimiter.policyNames()));
                return new Call("setPolicy(" + Fuzz.show(policy) + ")", () -> bean.setPolicy(policy),
                        () -> assertThat(bean.getPolicy()).isEqualTo(policy));
            },
            f -> {
                String guard = f.chance(0.05) ? null : text(f, List.of("auto", "on", "off", "ON", " off "));
                return new Call("setGuard(" + Fuzz.show(guard) + ")", () -> bean.setGuard(guard), () -> {
                    assertThat(bean.getGuard()).isEqualTo(GuardMode.parse(guard).optionName());
                    bean.setGuard(bean.getGuard());
                    assertThat(bean.getGuard()).isEqualTo(GuardMode.parse(guard).optionName());
                });
            },
            f -> {
                String mode = f.chance(0.05) ? null : text(f, List.of("off", "auto", "fit", "qemu", "auto-converge"));
                return new Call("setMigrationMode(" + Fuzz.show(mode) + ")", () -> bean.setMigrationMode(mode), () -> {
                    assertThat(bean.getMigrationMode()).isEqualTo(MigrationMode.forSwitch(mode).keyword());
                    bean.setMigrationMode(bean.getMigrationMode());
                    assertThat(bean.getMigrationMode()).isEqualTo(MigrationMode.forSwitch(mode).keyword());
                });
            },
            f -> {
                int cpu = cpu(f);
                double rate = rate(f);
                return new Call("setVcpuDirtyLimit(" + cpu + ", " + rate + ")", () -> bean.setVcpuDirtyLimit(cpu, rate), () -> {
                    List<DirtyLimitMXBean.VcpuDirtyLimit> rows = bean.queryVcpuDirtyLimit().stream().filter(r -> r.getCpuIndex() == cpu).toList();
                    if (rate > 0) {
                        assertThat(rows).singleElement().satisfies(r -> assertThat(r.getLimitRate()).isEqualTo(rate));
                    } else {
                        assertThat(rows).allSatisfy(r -> assertThat(r.isEnabled()).isFalse());
                    }
                });
            },
            f -> {
                double rate = rate(f);
                return new Call("limitAllVcpus(" + rate + ")", () -> bean.limitAllVcpus(rate),
                        () -> assertThat(bean.getLimits()).isEqualTo(rate > 0 ? "all vCPUs " + io.dirtylimit.core.Rates.format(rate)
                                + " MB/s" : "none (prepared)"));
            },
            f -> {
                int cpu = cpu(f);
                return new Call("cancelVcpuDirtyLimit(" + cpu + ")", () -> bean.cancelVcpuDirtyLimit(cpu),
                        () -> assertThat(bean.queryVcpuDirtyLimit()).noneMatch(r -> r.getCpuIndex() == cpu && r.isEnabled()));
            },
            f -> new Call("cancelAllVcpuDirtyLimit()", bean::cancelAllVcpuDirtyLimit,
                    () -> assertThat(bean.getLimits()).isEqualTo("none (prepared)")),
            f -> {
                // Windows that are refused only: a valid one blocks for its length.
                double seconds = f.pick(0.0, -1.0, 1e-3, 0.0099, 60.001, 3600.0, 1e300, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, (double) -f.between(0, 100));
                return new Call("calcDirtyRate(" + seconds + ")", () -> bean.calcDirtyRate(seconds),
                        () -> { throw new AssertionError("a window of " + seconds + " s was taken"); });
            });

    @Test
    void everyValueIsTakenOrRefusedWithIllegalArgumentException() {
        Fuzz.check(14_301, Fuzz.TRIES, f -> f.pick(calls).apply(f), call -> {
            try {
                call.call().run();
            } catch (IllegalArgumentException refused) {
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw new AssertionError(call.what() + " refused without a message", refused);
                }
                return;
            } catch (RuntimeException | Error other) {
                throw new AssertionError(call.what() + " threw " + other, other);
            }
            call.check().run();
        });
    }

    private static String text(Fuzz f, List<String> valid) {
        return switch (f.below(4)) {
            case 0 -> f.pick(valid);
            case 1 -> f.mutate(f.pick(valid), ALPHABET);
            case 2 -> f.anyCase(f.pick(valid));
            default -> f.text(ALPHABET, 14);
        };
    }

    private static int cpu(Fuzz f) {
        return f.chance(0.7) ? f.below(ControlParts.MAX_VCPUS + 2) : (int) f.edgyLong();
    }

    private static double rate(Fuzz f) {
        return f.pick(0.0, -0.0, 1.0, 200.0, 0.001, 1e-300, 1e300, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -1.0, Double.MIN_VALUE, f.between(0, 100_000) / 8.0, -f.between(0, 100_000) / 8.0);
    }
}
