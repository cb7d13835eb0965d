/** The Java agent that instruments an emulator from a profile and runs the throttle core in it. */
package io.dirtylimit.agent;
