package io.dirtylimit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirtylimit.agent.control.LimitService;
import io.dirtylimit.agent.control.LimitSpec;
import io.dirtylimit.agent.profile.Profile;
import io.dirtylimit.agent.profile.ProfileException;
import io.dirtylimit.agent.profile.ProfileParser;
import io.dirtylimit.bridge.BridgeHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which handler the bridge holds, and what the idle one still passes on. */
class HandlerSwitchTest {
    private final FakeThrottle throttle = new FakeThrottle();
    private final Dispatcher dispatcher = dispatcher();
    private final List<BridgeHandler> installed = new ArrayList<>();
    private final HandlerSwitch handlers = new HandlerSwitch(dispatcher, installed::add);

    private Dispatcher dispatcher() {
        try {
            Profile profile = ProfileParser.parse("test", """
                    vcpu-id per-hook
                    ring-full  class a.Vcpu full() vcpu=this.index
                    dirty-page class a.Vcpu dirtied(long) page=arg0 vcpu=this.index
                    store      class a.Bus write(long) address=arg0 size=8 vcpu=this.index
                    """);
            return new Dispatcher(profile, new VcpuDirectory(throttle, profile.maxVcpus()));
        } catch (ProfileException e) {
            throw new AssertionError(e);
        }
    }

    private BridgeHandler current() {
        return installed.get(installed.size() - 1);
    }

    @Test
    void theDispatcherServesOnlyWhileSomethingNeedsPageCounts() {
        handlers.limiterMeasuring(true); // before the hooks go live: nothing is installed
        assertThat(installed).isEmpty();
        handlers.limiterMeasuring(false);
        handlers.goLive();
        assertThat(current()).isInstanceOf(IdleHandler.class);
        assertThat(handlers.counting()).isFalse();

        handlers.limiterMeasuring(true);
        assertThat(current()).isSameAs(dispatcher);
        handlers.migrationWatched(true);
        handlers.limiterMeasuring(false); // the migration still needs counts
        assertThat(current()).isSameAs(dispatcher);
        handlers.migrationWatched(false);
        assertThat(current()).isInstanceOf(IdleHandler.class);
        assertThat(handlers.counting()).isFalse();
    }

    @Test
    void limitsWaitingForUnseenVcpusKeepTheCountingOnSoThatTheyAreSeen() {
        VcpuDirectory directory = new VcpuDirectory(throttle, 8);
        LimitService limits = new LimitService(throttle, directory);
        directory.onRegistered(limits::vcpuRegistered);
        limits.onWaitingChange(handlers::limitsWaiting);
        handlers.goLive();
        limits.replace(LimitSpec.parse("3:50"));
        assertThat(current()).isSameAs(dispatcher);
        directory.getOrRegister(3); // vCPU 3 dirtied: its limit is set now, the limiter takes over
        assertThat(handlers.counting()).isFalse();
        assertThat(throttle.events).contains("limit 3 50.0");
    }

    @Test
    void faultInjectionWrapsWhicheverHandlerServes() {
        handlers.goLive();
        handlers.faultEvery(3);
        assertThat(current()).isInstanceOf(FaultInjector.class);
        handlers.faultEvery(0);
        assertThat(current()).isInstanceOf(IdleHandler.class);
    }

    @Test
    void afterUninstallNoHandlerComesBack() {
        handlers.goLive();
        handlers.goDead();
        assertThat(current()).isNull();
        int count = installed.size();
        handlers.limiterMeasuring(true);
        handlers.migrationWatched(true);
        assertThat(installed).hasSize(count);
    }

    @Test
    void idleHooksCountNoPagesButRingFullsStillRegisterAndReachTheThrottle() {
        IdleHandler idle = new IdleHandler(dispatcher);
        idle.dirtyPage(1, 0, 7);
        idle.store(2, 1, 4096, 8);
        assertThat(throttle.ports).isEmpty();
        idle.ringFull(0, 2);
        assertThat(throttle.ports.keySet()).containsExactly(2);
        assertThat(throttle.ringFulls(2)).isEqualTo(1);

        dispatcher.store(2, 1, 4096, 8); // the dispatcher again: counted, the page was never marked while idle
        assertThat(throttle.pages(1)).isEqualTo(1);
    }
}
