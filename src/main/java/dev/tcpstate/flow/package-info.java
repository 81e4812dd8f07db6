/**
 * Connections by four-tuple. {@link dev.tcpstate.flow.FlowTable} maps a four-tuple, either
 * direction, to a value without allocating per lookup (primitive keys, open addressing);
 * {@link dev.tcpstate.flow.ZeekTracker} splits packets into records as Zeek does (a new SYN on a
 * finished tuple, Zeek's timers), each {@link dev.tcpstate.flow.ZeekRecord} owning Zeek's and the
 * RFC 793 view of its packets, and freezes finished ones into
 * {@link dev.tcpstate.flow.ConnectionRecord}s. A connection owns its endpoints' state machines,
 * so this package sits above {@code state}.
 */
package dev.tcpstate.flow;
