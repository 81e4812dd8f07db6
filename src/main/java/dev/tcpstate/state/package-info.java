/**
 * Per-connection TCP state, inferred by a passive observer: the RFC 793 / RFC 9293 state of each
 * endpoint ({@link dev.tcpstate.state.TcpState}), driven segment by segment by
 * {@link dev.tcpstate.state.ConnectionMachine}, with every change recorded as a
 * {@link dev.tcpstate.state.Transition}. Sequence numbers are compared only through
 * {@link dev.tcpstate.state.Seq}. The rules are written down in docs/state-model.md.
 */
package dev.tcpstate.state;
