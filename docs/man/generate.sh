#!/usr/bin/env bash
# Regenerates the man pages from the commands' own help: picocli's ManPageGenerator writes
# AsciiDoc (tcpstate gen-manpage), Asciidoctor turns it into roff (apt-get install asciidoctor);
# and the bash completion script (tcpstate generate-completion). The distribution archive ships
# both (src/assembly/dist.xml).
# ManPageAndCompletionTest fails when the pages here no longer match what the commands say.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/tcpstate.jar ] || ./mvnw -q package -DskipTests
rm -f docs/man/*.adoc docs/man/*.1
java -jar target/tcpstate.jar gen-manpage --outdir docs/man
java -jar target/tcpstate.jar generate-completion > docs/completion/tcpstate.bash
command -v asciidoctor >/dev/null || { echo "asciidoctor not installed: AsciiDoc only" >&2; exit 0; }
# --failure-level WARN: a warning (a description AsciiDoc reads as markup) stops the script
asciidoctor -b manpage -a reproducible --failure-level WARN -D docs/man docs/man/*.adoc
echo "man pages in docs/man; read one with: man -l docs/man/tcpstate-analyze.1"
