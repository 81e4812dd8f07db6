/**
 * Findings from finished connections: handshake failures, half-open connections, SYN floods and
 * TIME-WAIT buildup, each a {@link dev.tcpstate.detect.Finding} with a stable id
 * ({@link dev.tcpstate.detect.FindingType}), documented in docs/findings.md. Detectors read
 * immutable {@link dev.tcpstate.flow.ConnectionRecord}s and their thresholds from
 * {@link dev.tcpstate.detect.DetectorSettings}; they never see packets.
 */
package dev.tcpstate.detect;
