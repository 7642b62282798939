package io.udpix.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the user's config file and environment (picocli's default value provider). Precedence: the
 * command line, then an environment variable, then the file, then the option's built-in default.
 *
 * <ul>
 *   <li>File: {@code udpix.properties} in the config directory ({@link ConfigDir}: $UDPIX_CONFIG_DIR, else
 *       $XDG_CONFIG_HOME/udpix, else ~/.config/udpix). One {@code COMMAND.OPTION = VALUE} per line, the option's
 *       long name without its dashes ({@code serve.port = 9000}, {@code send.driver = epoll},
 *       {@code send.to = 10.0.0.5:9000}); {@code #} and {@code !} start comment lines. The value is taken as it
 *       is (trimmed; no escapes, so Windows paths need no doubling). A flag takes {@code true} or {@code false}.</li>
 *   <li>Environment: {@code UDPIX_COMMAND_OPTION}, upper case, dashes as underscores ({@code UDPIX_SERVE_PORT},
 *       {@code UDPIX_SEND_CONNECT_TIMEOUT}).</li>
 * </ul>
 *
 * <p>A line that is not {@code KEY = VALUE}, a key given twice, a file that is not UTF-8 or too large is an error
 * naming the file and line ({@link Malformed}); a key or variable that names no option of a command this run
 * built is a warning (a newer or older udpix may have that option), as is a key naming no command.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
    /** The file's name in the config directory. */
    public static final String FILE_NAME = "udpix.properties";
    /** Environment variables for option defaults start with this. */
    public static final String ENV_PREFIX = "UDPIX_";
    /** A config file is a few lines; more than this is a mistake (a wrong file), not configuration. */
    static final int MAX_FILE_BYTES = 256 * 1024;

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+");

    /** One line of the file. */
    private record Entry(String value, int line) {}

    private final Path file;
    private final Map<String, Entry> entries;
    private final Map<String, String> env;
    /**
     * COMMAND.OPTION for each option of the commands {@link #install} saw. An IdentityHashMap compares values by
     * identity too: look keys up in a copy of its values.
     */
    private final Map<OptionSpec, String> keys = new IdentityHashMap<>();

    private ConfigDefaults(Path file, Map<String, Entry> entries, Map<String, String> env) {
        this.file = file;
        this.entries = entries;
        this.env = env;
    }

    /** An error in the config file: the message names the file, the line and the fix. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code file} (absent: no file defaults) and takes {@code env} (the process environment) as it is.
     *
     * @throws Malformed when the file cannot be read or is not {@code KEY = VALUE} lines
     */
    public static ConfigDefaults load(Path file, Map<String, String> env) throws Malformed {
        return new ConfigDefaults(file, parse(file), Map.copyOf(env));
    }

    /** The file of this process: {@value #FILE_NAME} in {@link ConfigDir#resolve()}. */
    public static Path defaultFile() {
        return ConfigDir.file(FILE_NAME);
    }

    private static Map<String, Entry> parse(Path file) throws Malformed {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new Malformed(file + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB; is this the right "
                        + "file? It holds COMMAND.OPTION = VALUE lines");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new Malformed(file + ": cannot read it (" + e.getMessage() + "); fix its permissions or remove it");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed(file + ": not UTF-8 text; save it as UTF-8");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new Malformed(where(file, lineNumber) + ": expected COMMAND.OPTION = VALUE (such as "
                        + "serve.port = 9000), got '" + abbreviate(line) + "'");
            }
            String key = line.substring(0, equals).strip();
            if (!KEY.matcher(key).matches()) {
                throw new Malformed(where(file, lineNumber) + ": '" + abbreviate(key) + "' is not a key; write "
                        + "COMMAND.OPTION in lower case, the option's long name without dashes (such as "
                        + "serve.port or send.connect-timeout)");
            }
            Entry earlier = entries.get(key);
            if (earlier != null) {
                throw new Malformed(where(file, lineNumber) + ": " + key + " is already set on line "
                        + earlier.line() + "; keep one of them");
            }
            entries.put(key, new Entry(line.substring(equals + 1).strip(), lineNumber));
        }
        return entries;
    }

    private static String where(Path file, int line) {
        return file + " line " + line;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /**
     * Makes this the default value provider of {@code commandLine} and every subcommand it has now, and returns
     * the warnings for keys and variables that name no option of those subcommands (or no command at all).
     * Subcommands of commands not built for this run are not checked (see {@link UdpixCommand#addSubcommands}).
     */
    public List<String> install(CommandLine commandLine, Set<String> allCommandNames) {
        Map<String, CommandSpec> built = new TreeMap<>();
        collect(commandLine.getCommandSpec(), "", built);
        commandLine.setDefaultValueProvider(this);
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, Entry> entry : entries.entrySet()) {
            String key = entry.getKey();
            String command = key.substring(0, key.lastIndexOf('.'));
            String where = where(file, entry.getValue().line());
            if (!allCommandNames.contains(command.split("\\.")[0])) {
                warnings.add(where + ": '" + command + "' is not a udpix command (ignored); keys are COMMAND.OPTION, "
                        + "COMMAND one of " + String.join(", ", allCommandNames));
            } else if (built.containsKey(command) && !Set.copyOf(keys.values()).contains(key)) {
                warnings.add(where + ": 'udpix " + command.replace('.', ' ') + "' has no option --"
                        + key.substring(command.length() + 1) + " (ignored); see 'udpix " + command.replace('.', ' ')
                        + " --help'");
            }
        }
        Set<String> envNames = new java.util.HashSet<>();
        keys.values().forEach(key -> envNames.add(envName(key)));
        for (String name : new TreeMap<>(env).keySet()) {
            for (String command : built.keySet()) {
                String prefix = envName(command) + "_";
                if (name.startsWith(prefix) && !envNames.contains(name)) {
                    warnings.add("environment variable " + name + " names no option of 'udpix "
                            + command.replace('.', ' ') + "' (ignored); see 'udpix " + command.replace('.', ' ')
                            + " --help'");
                }
            }
        }
        return warnings;
    }

    private void collect(CommandSpec spec, String path, Map<String, CommandSpec> built) {
        for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
            CommandSpec subSpec = sub.getValue().getCommandSpec();
            if (!sub.getKey().equals(subSpec.name())) {
                continue; // an alias: the command is collected under its name
            }
            String subPath = path.isEmpty() ? sub.getKey() : path + "." + sub.getKey();
            built.put(subPath, subSpec);
            for (OptionSpec option : subSpec.options()) {
                if (!option.usageHelp() && !option.versionHelp() && option.longestName().startsWith("--")) {
                    keys.put(option, subPath + "." + option.longestName().substring(2).toLowerCase(Locale.ROOT));
                }
            }
            collect(subSpec, subPath, built);
        }
    }

    /** {@code serve.connect-timeout} -> {@code UDPIX_SERVE_CONNECT_TIMEOUT}. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The environment's value for this option, else the file's, else null (the built-in default). */
    @Override
    public String defaultValue(ArgSpec argSpec) {
        String key = argSpec instanceof OptionSpec option ? keys.get(option) : null;
        if (key == null) {
            return null;
        }
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return fromEnv;
        }
        Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }
}
