package dev.tcpstate.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error is one line and where to read more, not the whole help (74 lines for 'check')
 * nor picocli's suggestions, which name any option sharing a letter: {@code -f 'tcp port 8081'}
 * got "Possible solutions: --format".
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    /** A suggestion this close (edits) to what was typed is likely what was meant; farther ones are noise. */
    private static final int CLOSE = 2;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("tcpstate: " + message(ex));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    static String message(ParameterException ex) {
        ArgSpec arg = ex.getArgSpec();
        if (ex.getCause() instanceof TypeConversionException conversion && arg instanceof OptionSpec option
                && ex.getValue() != null) {
            String given = option.longestName() + " " + ex.getValue();
            if (option.auxiliaryTypes()[0].isEnum()) {
                return given + " (expected: " + values(option.auxiliaryTypes()[0].getEnumConstants()) + ")";
            }
            return given + " " + conversion.getMessage();
        }
        if (ex instanceof UnmatchedArgumentException unmatched) {
            String typed = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0).split("=", 2)[0];
            List<String> close = unmatched.getSuggestions().stream()
                    .filter(suggestion -> distance(typed, lastWord(suggestion)) <= CLOSE).toList();
            boolean command = !typed.startsWith("-") && !ex.getCommandLine().getSubcommands().isEmpty();
            return (command ? "unknown command '" + typed + "'" : ex.getMessage())
                    + (close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)");
        }
        return ex.getMessage();
    }

    /** "text, json or csv": the names users type, lower case. */
    private static String values(Object[] constants) {
        List<String> names = java.util.Arrays.stream(constants)
                .map(constant -> constant.toString().toLowerCase(Locale.ROOT)).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String lastWord(String suggestion) {
        return suggestion.substring(suggestion.lastIndexOf(' ') + 1);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
