package dev.tcpstate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * {@code gen-manpage}: picocli's man page generator (docs/man/generate.sh), with the section
 * titles a man page has. Each command's help lists its exit codes and examples under "Exit codes:"
 * and "Examples:"; picocli would use those headings, colon and all, as the man page's section
 * titles, so here they become EXIT STATUS and EXAMPLES first.
 */
@Command(name = "gen-manpage", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Write a man page in AsciiDoc for each command into DIR (docs/man/generate.sh turns "
                + "them into roff with Asciidoctor).")
final class ManPageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--outdir"}, paramLabel = "DIR", defaultValue = ".",
            description = "Where to write the pages (default: the current directory).")
    Path outdir;

    @Override
    public Integer call() throws Exception {
        CommandSpec root = spec.root();
        retitle(root);
        return ManPageGenerator.generateManPage(outdir.toFile(), null, new boolean[0], false, root);
    }

    /** This run only (each run builds its specs anew): the man page titles of the two sections. */
    private static void retitle(CommandSpec command) {
        UsageMessageSpec usage = command.usageMessage();
        if (!usage.exitCodeList().isEmpty()) {
            usage.exitCodeListHeading("Exit status");
        }
        if (usage.footer().length > 0) {
            usage.footerHeading("Examples");
        }
        command.subcommands().values().forEach(sub -> retitle(sub.getCommandSpec()));
    }
}
