package io.dirtylimit.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileParser;
import io.dirtylimit.agent.runtime.Dispatcher;
import io.dirtylimit.agent.runtime.FakeThrottle;
import io.dirtylimit.agent.runtime.VcpuDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** Units in the query rows and in JFR: each space object's class and identity hash beside its index. */
class UnitEventsTest {

    /** A guest memory. */
    static final class GuestMemory {
    }

    /** The unit events recorded so far (the recording runs on). */
    private static List<RecordedEvent> unitEvents(Recording recording, Path file) throws Exception {
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.dirtylimit.UnitDirtyLimit")).toList();
    }

    @Test
    void queryRowsAndTheJfrEventShowEachUnitsObject() throws Exception {
        Profile profile = ProfileParser.parse("t", """
                vcpu-id space
                store class a.Mem write(long, long) address=arg0 size=8 space=this
                """);
        FakeThrottle core = new FakeThrottle();
        VcpuDirectory directory = new VcpuDirectory(core, profile.maxVcpus());
        LimitService limits = new LimitService(core, directory);
        directory.onRegistered(limits::vcpuRegistered);
        Dispatcher dispatcher = new Dispatcher(profile, directory);
        GuestMemory first = new GuestMemory();
        GuestMemory second = new GuestMemory();
        Path file = Files.createTempFile("units", ".jfr");
        try (Recording recording = new Recording(); UnitEvents events = new UnitEvents(limits)) {
            recording.enable("io.dirtylimit.UnitDirtyLimit").withPeriod(Duration.ofMillis(100));
            recording.start();
            directory.onFirstLabel(events::start);
            dispatcher.storeIn(0, -1, first, 0, 8);
            dispatcher.storeIn(0, -1, second, 0, 8);
            limits.set(1, 10);

            List<LimitService.Row> rows = limits.query();
            assertThat(rows).extracting(row -> row.unit().identityHash())
                    .containsExactly(System.identityHashCode(first), System.identityHashCode(second));
            assertThat(rows.get(1).unit().className()).isEqualTo(GuestMemory.class.getName());
            assertThat(limits.unit(1)).isEqualTo(rows.get(1).unit());

            await().atMost(Duration.ofSeconds(30)).until(events::registered);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> unitEvents(recording, file).stream().map(e -> e.getInt("cpuIndex")).distinct().count() == 2);
        }
        List<RecordedEvent> recorded = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.dirtylimit.UnitDirtyLimit")).toList();
        Files.deleteIfExists(file);
        assertThat(recorded).anySatisfy(e -> {
            assertThat(e.getInt("cpuIndex")).isEqualTo(1);
            assertThat(e.getString("unitClass")).isEqualTo(GuestMemory.class.getName());
            assertThat(e.getString("identityHash")).isEqualTo(Integer.toHexString(System.identityHashCode(second)));
            assertThat(e.getBoolean("limited")).isTrue();
            assertThat(e.getDouble("limitRate")).isEqualTo(10);
        });
        assertThat(recorded).anySatisfy(e -> {
            assertThat(e.getInt("cpuIndex")).isEqualTo(0);
            assertThat(e.getString("unit")).isEqualTo("UnitEventsTest$GuestMemory@" + Integer.toHexString(System.identityHashCode(first)));
            assertThat(e.getBoolean("limited")).isFalse();
        });
    }
}
