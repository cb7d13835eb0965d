package io.dirtylimit.core;

/** A policy together with one vCPU's state for it. */
final class PolicyBinding<S> {
    private final ThrottlePolicy<S> policy;
    private final S state;
    private boolean failed;

    private PolicyBinding(ThrottlePolicy<S> policy) {
        this.policy = policy;
        this.state = policy.newState();
    }

    static <S> PolicyBinding<S> bind(ThrottlePolicy<S> policy) {
        return new PolicyBinding<>(policy);
    }

    double nextSleepNanos(ThrottleInput input) {
        return policy.nextSleepNanos(input, state);
    }

    /** True the first time it is asked after a failure, so that a failing policy is logged once. */
    boolean firstFailure() {
        boolean first = !failed;
        failed = true;
        return first;
    }
}
