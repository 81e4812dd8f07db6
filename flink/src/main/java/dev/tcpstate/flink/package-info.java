/**
 * tcpstate's engine as an Apache Flink job (docs/scale-out.md): capture files read whole by
 * tcpstate's readers, a connection tracker per four-tuple in event time, detectors per bucket of
 * services and hosts, records and findings written as the CLI writes them. Nothing here changes
 * what the engine answers; it only shares the work out.
 */
package dev.tcpstate.flink;
