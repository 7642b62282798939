package io.udpix.cli.convert;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code HOST:PORT}, {@code 127.0.0.1:9000}, {@code [::1]:9000} into a {@link HostPort}. */
public final class HostPortConverter implements ITypeConverter<HostPort> {

    private static final String EXAMPLES = "expected HOST:PORT, e.g. 127.0.0.1:9000, localhost:9000 or [::1]:9000";
    /**
     * RFC 1123 host name labels (letters, digits, hyphens, not starting or ending with a hyphen), plus the
     * underscore, which RFC 1123 forbids but container and intranet names use and resolvers accept.
     */
    private static final String LABEL = "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?";
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)" + LABEL + "(\\." + LABEL + ")*\\.?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    @Override
    public HostPort convert(String value) {
        return parse(value);
    }

    /**
     * Parses {@code value}.
     *
     * @throws TypeConversionException naming what is wrong and what to write instead
     */
    public static HostPort parse(String value) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            throw new TypeConversionException("empty address; " + EXAMPLES);
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new TypeConversionException("'" + value + "' has '[' but no ']'; " + EXAMPLES);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                throw new TypeConversionException("'" + value + "' has no port; " + EXAMPLES);
            }
            if (!rest.startsWith(":")) {
                throw new TypeConversionException("'" + value + "' needs ':' after ']'; " + EXAMPLES);
            }
            portText = rest.substring(1);
            checkIpv6(host, value);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new TypeConversionException("'" + value + "' has no port; " + EXAMPLES);
            }
            if (text.indexOf(':') != colon) {
                throw new TypeConversionException("'" + value + "' looks like an IPv6 address without brackets; "
                        + "write it as [ADDRESS]:PORT, e.g. [::1]:9000");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.isEmpty()) {
                throw new TypeConversionException("'" + value + "' has no host; " + EXAMPLES);
            }
            checkHost(host, value);
        }
        return new HostPort(host, parsePort(portText, value));
    }

    private static void checkHost(String host, String value) {
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            // All digits and dots: it must be a dotted-quad IPv4 address, not a name.
            String[] parts = host.split("\\.", -1);
            boolean valid = parts.length == 4;
            for (int i = 0; valid && i < parts.length; i++) {
                String part = parts[i];
                // No leading zeros: some resolvers read "010" as octal 8.
                valid = !part.isEmpty() && part.length() <= 3 && !(part.length() > 1 && part.charAt(0) == '0')
                        && Integer.parseInt(part) <= 255;
            }
            if (!valid) {
                throw new TypeConversionException("'" + host + "' in '" + value + "' is not a valid IPv4 address; "
                        + EXAMPLES);
            }
            return;
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new TypeConversionException("'" + host + "' in '" + value
                    + "' is not a valid host name or IP address; " + EXAMPLES);
        }
    }

    private static void checkIpv6(String host, String value) {
        String invalid = "'" + host + "' in '" + value + "' is not a valid IPv6 address; " + EXAMPLES;
        if (host.indexOf(':') < 0 || !IPV6_LITERAL.matcher(host).matches()) {
            throw new TypeConversionException(invalid);
        }
        try {
            // A literal with ':' is parsed, never looked up.
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new TypeConversionException(invalid);
        }
    }

    private static int parsePort(String portText, String value) {
        if (portText.isEmpty()) {
            throw new TypeConversionException("'" + value + "' has no port after ':'; " + EXAMPLES);
        }
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TypeConversionException("port '" + portText + "' in '" + value
                    + "' is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65_535) {
            throw new TypeConversionException("port " + port + " in '" + value + "' is out of range; use 1 to 65535");
        }
        return port;
    }
}
