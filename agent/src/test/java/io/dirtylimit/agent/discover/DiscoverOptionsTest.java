package io.dirtylimit.agent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DiscoverOptionsTest {

    @Test
    void parsesAndFormatsBackWithoutTheFiles() {
        DiscoverOptions options = DiscoverOptions.parse(
                "discover,seconds=2.5,max-methods=10,package=com.example.vm;org.emu.,class=com.example.Bus$Ram,report=/tmp/r,result=/tmp/s");
        assertThat(options.seconds()).isEqualTo(2.5);
        assertThat(options.maxMethods()).isEqualTo(10);
        assertThat(options.packages()).containsExactly("com.example.vm", "org.emu");
        assertThat(options.classes()).containsExactly("com.example.Bus$Ram");
        assertThat(options.report()).isEqualTo(Path.of("/tmp/r"));
        assertThat(options.result()).isEqualTo(Path.of("/tmp/s"));
        assertThat(options.format())
                .isEqualTo("discover,seconds=2.5,max-methods=10,package=com.example.vm;org.emu,class=com.example.Bus$Ram");
        assertThat(DiscoverOptions.parse(options.format()).format()).isEqualTo(options.format());
        assertThat(options.inPackages("com.example.vm.Cpu")).isTrue();
        assertThat(options.inPackages("com.example.vmx.Cpu")).isFalse();
    }

    @Test
    void defaults() {
        DiscoverOptions options = DiscoverOptions.parse("discover,package=a.b");
        assertThat(options.seconds()).isEqualTo(DiscoverOptions.DEFAULT_SECONDS);
        assertThat(options.maxMethods()).isEqualTo(DiscoverOptions.DEFAULT_MAX_METHODS);
        assertThat(DiscoverOptions.isDiscover("discover")).isTrue();
        assertThat(DiscoverOptions.isDiscover(" discover ,package=a")).isTrue();
        assertThat(DiscoverOptions.isDiscover("profile=toyvm,discover")).isFalse();
        assertThat(DiscoverOptions.isDiscover(null)).isFalse();
    }

    @Test
    void refusesWhatItCannotDo() {
        assertThatThrownBy(() -> DiscoverOptions.parse("discover")).hasMessageContaining("at least one package or class");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a,seconds=0.1")).hasMessageContaining("from 0.5 to 600");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a,seconds=x")).hasMessageContaining("seconds 'x'");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a,max-methods=0")).hasMessageContaining("from 1 to 4096");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a,max-methods=5000")).hasMessageContaining("from 1 to 4096");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a b")).hasMessageContaining("not a Java package name");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,class=Foo()")).hasMessageContaining("not a Java binary class name");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=java.util")).hasMessageContaining("the JDK's or dirtylimit's own");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=io.dirtylimit.agent")).hasMessageContaining("dirtylimit's own");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a,package=b")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package=a,speed=3")).hasMessageContaining("unknown discover option 'speed'");
        assertThatThrownBy(() -> DiscoverOptions.parse("discover,package")).hasMessageContaining("is not key=value");
        assertThatThrownBy(() -> DiscoverOptions.parse("limit=3")).hasMessageContaining("must start with 'discover'");
    }
}
