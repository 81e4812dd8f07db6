/**
 * Connections by four-tuple. {@link dev.tcpstate.flow.FlowTable} maps a four-tuple, either
 * direction, to a value without allocating per lookup (primitive keys, open addressing);
 * {@link dev.tcpstate.flow.ConnectionTracker} keeps one {@link dev.tcpstate.flow.Connection}
 * instance per four-tuple at a time, starts a new instance when a tuple is reused, expires idle
 * ones by packet time, and hands finished ones on. A connection owns its endpoints' state
 * machines, so this package sits above {@code state}.
 */
package dev.tcpstate.flow;
