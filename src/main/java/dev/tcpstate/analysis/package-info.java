/**
 * The one place that wires the stages: {@link dev.tcpstate.analysis.Analyzer} opens each capture,
 * runs its frames through the decoder (and, as later stages land, the flow table, state machines
 * and detectors) and returns an immutable result such as
 * {@link dev.tcpstate.analysis.CaptureSummary}. Nothing here knows about terminals or options.
 */
package dev.tcpstate.analysis;
