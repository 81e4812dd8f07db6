/**
 * Live monitoring: {@link dev.tcpstate.live.WatchSession} runs the analysis thread between a
 * live capture and the outputs ({@link dev.tcpstate.live.EventWriter}'s event stream, the jline
 * dashboard). The analysis thread owns all state; the screen only sees immutable snapshots.
 * {@link dev.tcpstate.live.StopSignals} turns Ctrl-C and SIGTERM into a stop of that thread.
 * jline is used in this package only.
 */
package dev.tcpstate.live;
