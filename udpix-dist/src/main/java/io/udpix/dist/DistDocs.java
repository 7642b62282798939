package io.udpix.dist;

import io.udpix.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
        CommandLine commandLine = commandLine();
        Path adoc = writeManPageSources(commandLine, dir.resolve("man-adoc"));
        toTroff(adoc, dir.resolve("man").resolve("man1"));
        writeCompletion(commandLine, dir.resolve("completion"));
    }

    /** The {@code udpix} command with every subcommand, printing nowhere. */
    static CommandLine commandLine() {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return Main.commandLine(discard, discard);
    }

    /** One AsciiDoc man page per command and subcommand in {@code dir} (created); returns {@code dir}. */
    static Path writeManPageSources(CommandLine commandLine, Path dir) throws IOException {
        Files.createDirectories(dir);
        // Recursive over the subcommands; force: replace the pages of an earlier build.
        int status = ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], true,
                commandLine.getCommandSpec());
        if (status != 0) {
            throw new IllegalStateException("ManPageGenerator failed with status " + status);
        }
        return dir;
    }

    /** {@code NAME.adoc} in {@code adocDir} to troff {@code NAME.1} in {@code manDir} (created). */
    static void toTroff(Path adocDir, Path manDir) throws IOException {
        Files.createDirectories(manDir);
        List<Path> pages;
        try (Stream<Path> files = Files.list(adocDir)) {
            pages = files.filter(file -> file.getFileName().toString().endsWith(".adoc")).sorted().toList();
        }
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            for (Path page : pages) {
                String name = page.getFileName().toString().replaceFirst("\\.adoc$", ".1");
                asciidoctor.convertFile(page.toFile(), Options.builder().backend("manpage").safe(SafeMode.UNSAFE)
                        .toFile(manDir.resolve(name).toFile()).build());
            }
        }
    }

    /** {@code dir/udpix.bash} (dir created): bash completion of every command, option and option value. */
    static Path writeCompletion(CommandLine commandLine, Path dir) throws IOException {
        Path script = Files.createDirectories(dir).resolve("udpix.bash");
        Files.writeString(script, AutoComplete.bash("udpix", commandLine), StandardCharsets.UTF_8);
        return script;
    }
}
