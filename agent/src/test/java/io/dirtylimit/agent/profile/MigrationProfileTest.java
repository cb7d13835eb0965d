package io.dirtylimit.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationProfileTest {
    private static final String HEAD = """
            vcpu-id thread-name "vcpu-(\\d+)"
            ring-full class a.Vcpu exit() at=exit
            dirty-page class a.Vcpu dirtied(long) page=arg0
            """;

    @Test
    void migrationAndStepHooksParse() throws Exception {
        Profile profile = ProfileParser.parse("p", HEAD + """
                vcpu-step class a.Vcpu slice()
                migration-start class a.Mig started(long, int) bandwidth=arg0 downtime=arg1
                migration-start class a.Mig begin()
                migration-pass class a.Mig pass(int, long, long) sent=arg1 dirtied=arg2
                migration-end class a.Mig end(boolean) at=enter
                """);
        HookSpec step = profile.hooks().get(2);
        assertThat(step.role()).isEqualTo(Role.VCPU_STEP);
        assertThat(step.atExit()).isTrue();
        HookSpec start = profile.hooks().get(3);
        assertThat(start.value()).isEqualTo(ValueSource.arg(0));
        assertThat(start.size()).isEqualTo(ValueSource.arg(1));
        assertThat(profile.hooks().get(4).value()).isEqualTo(ValueSource.constant(-1));
        HookSpec pass = profile.hooks().get(5);
        assertThat(pass.value()).isEqualTo(ValueSource.arg(1));
        assertThat(pass.size()).isEqualTo(ValueSource.arg(2));
        assertThat(pass.vcpu()).isEqualTo(ValueSource.THREAD);
        assertThat(pass.atExit()).isFalse();
        assertThat(profile.hooks().get(6).atExit()).isFalse();
    }

    @Test
    void migrationHookErrorsNameTheLine() {
        assertThatThrownBy(() -> ProfileParser.parse("p", HEAD + """
                migration-pass class a.Mig pass(int, long, long) sent=arg1
                migration-pass class a.Mig pass(int, long, java.lang.String) sent=arg1 dirtied=arg2
                migration-end class a.Mig end() vcpu=thread
                migration-start class a.Mig s(long) bandwidth=arg0 size=8
                """)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("p:4: migration-pass needs dirtied=argN")
                .hasMessageContaining("p:5: dirtied=arg2 must be an integer argument")
                .hasMessageContaining("p:6: vcpu= does not apply to migration hooks")
                .hasMessageContaining("p:7: 'size=' does not apply to migration-start");
    }
}
