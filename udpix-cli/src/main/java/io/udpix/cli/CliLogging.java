package io.udpix.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The CLI's logging, set up in code (found by logback through META-INF/services): warnings and errors only, to
 * standard error, so standard output stays the item lines (or JSON lines). {@code -Dudpix.log=debug} shows more of
 * udpix (udpix-api and udpix-driver log through System.Logger, which slf4j-jdk-platform-logging routes here);
 * libraries (Netty) stay at WARN unless {@code -Dudpix.log.libs} says otherwise.
 *
 * <p>Why code and not logback.xml: parsing the XML (logback's Joran, the JDK's XML parser) loaded about 500 classes
 * and was the largest single step of a short {@code udpix send}'s start-up. A {@code -Dlogback.configurationFile},
 * or a {@code logback-test.xml} on the class path (the tests'), still wins, unless {@code -Dudpix.log.builtin=true}
 * asks for this one.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {
    /** Every line starts with this, then the level, the logger's abbreviated name and the message. */
    static final String PREFIX = "udpix ";
    /** Logger names are abbreviated to about this many characters ({@code i.udpix.driver.NioDriver}, as {@code %logger{24}} does). */
    private static final int LOGGER_NAME_CHARS = 24;

    /** For ServiceLoader. */
    public CliLogging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || (!Boolean.getBoolean("udpix.log.builtin")
                && CliLogging.class.getClassLoader().getResource("logback-test.xml") != null)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Resets {@code context} to the CLI's configuration (also for tests that switched it). */
    static void apply(LoggerContext context) {
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.toLevel(System.getProperty("udpix.log"), Level.WARN));
        root.addAppender(stderr);
        // Libraries stay quiet whatever udpix.log says (no Netty chatter at info or debug).
        context.getLogger("io.netty").setLevel(Level.toLevel(System.getProperty("udpix.log.libs"), Level.WARN));
    }

    /** {@code udpix %-5level %logger{24}: %msg%n} and the stack trace, without a pattern to parse. */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private final TargetLengthBasedClassNameAbbreviator abbreviator =
                new TargetLengthBasedClassNameAbbreviator(LOGGER_NAME_CHARS);

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128).append(PREFIX);
            String level = event.getLevel().toString();
            line.append(level);
            for (int pad = level.length(); pad < 5; pad++) {
                line.append(' ');
            }
            line.append(' ').append(abbreviator.abbreviate(event.getLoggerName())).append(": ")
                    .append(event.getFormattedMessage()).append(System.lineSeparator());
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
            }
            return line.toString();
        }
    }
}
