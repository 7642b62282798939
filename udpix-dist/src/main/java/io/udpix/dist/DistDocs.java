package io.udpix.dist;

import io.udpix.cli.Main;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the distribution's generated documents from the command model the shipped jar runs ({@link Main}'s
 * {@code commandLine}, every subcommand): {@code DIR/man-adoc/udpix.adoc}, {@code udpix-serve.adoc}... (picocli's
 * ManPageGenerator), the same as troff in {@code DIR/man/man1/udpix.1}, {@code udpix-serve.1}... (Asciidoctor's
 * manpage backend through AsciidoctorJ) and {@code DIR/completion/udpix.bash} (picocli's AutoComplete). Run by the
 * build in the prepare-package phase; not shipped.
 */
public final class DistDocs {

    private DistDocs() {
    }

    /** {@code DistDocs DIR}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: DistDocs OUTPUT_DIR");
        }
        Path dir = Path.of(args[0]);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine commandLine = Main.commandLine(discard, discard);

        Path adoc = Files.createDirectories(dir.resolve("man-adoc"));
        // Pages for the command and each subcommand, recursively; force: replace the pages of an earlier build.
        int status = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true,
                commandLine.getCommandSpec());
        if (status != 0) {
            throw new IllegalStateException("ManPageGenerator failed with status " + status);
        }

        Path man = Files.createDirectories(dir.resolve("man").resolve("man1"));
        List<Path> pages;
        try (Stream<Path> files = Files.list(adoc)) {
            pages = files.filter(file -> file.getFileName().toString().endsWith(".adoc")).sorted().toList();
        }
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            for (Path page : pages) {
                String name = page.getFileName().toString().replaceFirst("\\.adoc$", ".1");
                asciidoctor.convertFile(page.toFile(), Options.builder().backend("manpage").safe(SafeMode.UNSAFE)
                        .toFile(man.resolve(name).toFile()).build());
            }
        }

        Path completion = Files.createDirectories(dir.resolve("completion"));
        Files.writeString(completion.resolve("udpix.bash"), AutoComplete.bash("udpix", commandLine),
                StandardCharsets.UTF_8);
    }
}
