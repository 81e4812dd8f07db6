package dev.tcpstate.cli;

import dev.tcpstate.flow.Uids;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --uid-seed N}, for the commands that print uids. Without it each run draws a random key
 * ({@link Main#run} does), so logs of several runs can be merged without two records sharing a uid.
 */
final class UidSeedOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--uid-seed", paramLabel = "N",
            description = "Key of the connection uids, 0 to 4294967295: the same capture and seed give the same "
                    + "uids (default: a random key per run, so runs never share uids).")
    void seed(long seed) {
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new ParameterException(command.commandLine(), "--uid-seed " + seed + " (expected: 0 to 4294967295)");
        }
        Uids.useKey((int) seed);
    }
}
