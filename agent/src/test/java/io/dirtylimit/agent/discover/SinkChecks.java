package io.dirtylimit.agent.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.probe.Probe;
import io.dirtylimit.probe.ProbeSink;

/**
 * Checks on the probe and the recorder themselves, kept out of {@link DiscoverInProcessTest}: verifying
 * a class that hands a sink to {@link Probe#install} loads {@code ProbeSink}, and that must happen only
 * once the probe classes are on the bootstrap class loader (the test's {@code @BeforeAll}).
 */
final class SinkChecks {
    private SinkChecks() {}

    static void run() {
        Probe.install(new ProbeSink() {
            @Override
            public void call(int method, long a0, long a1, long a2, long a3, Object array, Object self) {
                throw new IllegalStateException("boom");
            }
        });
        try {
            Probe.call(0, 1, 2, 3, 4, null, null);
        } finally {
            Probe.install(null);
        }
        assertThat(ProbeSink.class.getClassLoader()).as("the boot loader's copy").isNull();

        ProbeRecorder recorder = new ProbeRecorder(new byte[] {2});
        recorder.call(-1, 0, 0, 0, 0, null, null);
        recorder.call(7, 0, 0, 0, 0, null, null);
        recorder.call(0, 4096, 8192, 0, 0, new long[3], recorder);
        recorder.call(0, 8192, 16384, 0, 0, null, recorder);
        assertThat(recorder.calls(0)).isEqualTo(2);
        assertThat(recorder.sampled(0)).isEqualTo(2);
        assertThat(recorder.arrayMax(0)).isEqualTo(3);
        assertThat(recorder.pairMin(0, 0)).isEqualTo(4096);
        assertThat(recorder.pairMax(0, 0)).isEqualTo(8192);
        assertThat(recorder.pages(0, 0)).isEqualTo(2);
        assertThat(recorder.receivers(0)).isEqualTo(1);
        assertThat(recorder.receiverMax(0, 0, 1)).isEqualTo(16384);

        // A hundred threads: 64 get slots, the rest share the overflow slot; no call is lost.
        ProbeRecorder many = new ProbeRecorder(new byte[] {1});
        Thread[] threads = new Thread[100];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int c = 0; c < 1000; c++) {
                    many.call(0, c * 4096L, 0, 0, 0, null, null);
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(many.calls(0)).isEqualTo(100_000);
        assertThat(many.calls(ProbeRecorder.OVERFLOW, 0)).isEqualTo(36_000);
    }
}
