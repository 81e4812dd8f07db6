/**
 * The command line, and nothing else: picocli commands that parse options, call
 * {@code analysis}, hand results to {@code report} renderers, and map failures to exit codes
 * ({@link dev.tcpstate.cli.ExitCodes}). {@link dev.tcpstate.cli.Main#run} runs a whole command
 * in-process, which is how the tests drive it.
 */
package dev.tcpstate.cli;
