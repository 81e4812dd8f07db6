/**
 * Connections by four-tuple. {@link dev.tcpstate.flow.FlowTable} maps a four-tuple, either
 * direction, to a value without allocating per lookup (primitive keys, open addressing);
 * {@link dev.tcpstate.flow.ConnectionTracker} tracks each {@link dev.tcpstate.flow.Connection}
 * (Zeek's and the RFC 793 view of its packets), ends them where the
 * {@link dev.tcpstate.flow.ZeekRules} policy ends them (a new SYN on a finished tuple, Zeek's
 * timers), freezes them into {@link dev.tcpstate.flow.ConnectionRecord}s and hands those out as
 * they become final. A connection owns its endpoints' state machines, so this package sits above
 * {@code state}.
 */
package dev.tcpstate.flow;
