package dev.tcpstate.cli;

import dev.tcpstate.capture.CaptureInterface;
import dev.tcpstate.capture.CaptureInterfaces;
import dev.tcpstate.report.InterfacesRenderer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "interfaces", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"List the interfaces libpcap can capture on (the names -i takes), with their state and "
                + "addresses. Needs libpcap; listing needs no root, capturing usually does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:usage", "4:libpcap missing or unusable", "5:internal error", "6:output not written"},
        footerHeading = "%nExamples:%n",
        footer = {"  tcpstate interfaces", "  tcpstate interfaces --format json"})
final class InterfacesCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Override
    public Integer call() throws Exception {
        List<CaptureInterface> interfaces = CaptureInterfaces.list();
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case text -> InterfacesRenderer.text(interfaces, out);
            case json -> InterfacesRenderer.json(interfaces, out);
        }
        return ExitCodes.OK;
    }
}
