package io.dirtylimit.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.bridge.Bridge;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BridgeInjectorTest {

    @Test
    void theListOfBridgeClassesIsComplete() throws IOException, URISyntaxException {
        Path classes = Path.of(Bridge.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.list(classes.resolve("io/dirtylimit/bridge"))) {
            assertThat(files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
                    .map(name -> "io.dirtylimit.bridge." + name.substring(0, name.length() - ".class".length())))
                    .containsExactlyInAnyOrderElementsOf(BridgeInjector.BRIDGE_CLASSES);
        }
    }

    @Test
    void theBridgeIsANoOpUntilAHandlerIsInstalled() {
        assertThat(Bridge.isIdle()).isTrue();
        Bridge.ringFull(0, -1);
        Bridge.store(0, -1, 0, 8);
        RecordingHandler handler = new RecordingHandler();
        Bridge.install(handler);
        try {
            assertThat(Bridge.isIdle()).isFalse();
            handler.throwOnDirtyPage = new IllegalStateException("boom");
            Bridge.dirtyPage(2, 1, 5);
            assertThat(handler.faults).containsExactly("2 IllegalStateException");
        } finally {
            Bridge.install(null);
        }
        assertThat(Bridge.isIdle()).isTrue();
    }
}
