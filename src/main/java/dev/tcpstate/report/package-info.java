/**
 * Pure renderers: each turns an immutable result from {@code analysis} into text on a
 * {@link java.lang.Appendable} (text, JSON, and the other formats as they land). No I/O of their
 * own, no options parsing, no terminal handling: the same input always gives the same output.
 */
package dev.tcpstate.report;
