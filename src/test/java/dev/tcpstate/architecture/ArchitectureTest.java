package dev.tcpstate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** docs/architecture.md: data flows one way, and each native or UI library stays in its package. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tcpstate");
    }

    @Test
    void pcap4jIsUsedOnlyInCapture() {
        noClasses().that().resideOutsideOfPackage("dev.tcpstate.capture..")
                .should().dependOnClassesThat().resideInAPackage("org.pcap4j..").check(classes);
    }

    @Test
    void jlineIsUsedOnlyInLive() {
        noClasses().that().resideOutsideOfPackage("dev.tcpstate.live..")
                .should().dependOnClassesThat().resideInAPackage("org.jline..").check(classes);
    }

    @Test
    void thePrometheusClientIsUsedOnlyInLive() {
        noClasses().that().resideOutsideOfPackage("dev.tcpstate.live..")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..").check(classes);
    }

    @Test
    void picocliIsUsedOnlyInCli() {
        noClasses().that().resideOutsideOfPackage("dev.tcpstate.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(classes);
    }

    @Test
    void dataFlowsOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("capture").definedBy("dev.tcpstate.capture..")
                .layer("decode").definedBy("dev.tcpstate.decode..")
                .layer("flow").definedBy("dev.tcpstate.flow..")
                .layer("state").definedBy("dev.tcpstate.state..")
                .layer("detect").definedBy("dev.tcpstate.detect..")
                .layer("analysis").definedBy("dev.tcpstate.analysis..")
                .layer("report").definedBy("dev.tcpstate.report..")
                .layer("live").definedBy("dev.tcpstate.live..")
                .layer("cli").definedBy("dev.tcpstate.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("live").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("live", "cli")
                .whereLayer("analysis").mayOnlyBeAccessedByLayers("report", "live", "cli")
                .whereLayer("detect").mayOnlyBeAccessedByLayers("analysis", "report", "live", "cli")
                // a connection (flow) owns its endpoints' state machines: state sits below flow
                .whereLayer("state").mayOnlyBeAccessedByLayers("flow", "detect", "analysis", "report", "live", "cli")
                .whereLayer("flow").mayOnlyBeAccessedByLayers("detect", "analysis", "report", "live", "cli")
                .whereLayer("decode").mayOnlyBeAccessedByLayers("flow", "state", "detect", "analysis", "report",
                        "live", "cli")
                .check(classes);
    }

    @Test
    void everyPackageSaysItsJobInPackageInfo() throws Exception {
        Path root = Path.of("src/main/java/dev/tcpstate");
        try (Stream<Path> packages = Files.list(root)) {
            assertThat(packages.filter(Files::isDirectory))
                    .isNotEmpty()
                    .allSatisfy(dir -> assertThat(dir.resolve("package-info.java")).exists());
        }
    }
}
