package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.udpix.driver.NioDriver;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The CLI's own logging ({@link CliLogging}) with {@code -Dudpix.log=...}: System.Logger lines of udpix-api and
 * udpix-driver reach logback through slf4j-jdk-platform-logging, and libraries stay quiet.
 */
class LoggingBridgeTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restoreTestLogging() throws Exception {
        System.clearProperty("udpix.log");
        configure("logback-test.xml");
    }

    @Test
    void aDriverSystemLoggerDebugLineReachesLogbackWithUdpixLogDebug() throws Exception {
        System.setProperty("udpix.log", "debug");
        ListAppender<ILoggingEvent> seen = builtIn();
        System.getLogger(NioDriver.class.getName()).log(System.Logger.Level.DEBUG, "probe {0} from the driver", 42);
        System.getLogger("io.udpix.api.UdpixServer").log(System.Logger.Level.DEBUG, "probe from the api");
        LoggerFactory.getLogger("io.netty.channel.DefaultChannelId").info("library chatter");
        LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector").debug("library chatter");

        List<String> lines = seen.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": "
                + e.getFormattedMessage()).toList();
        assertThat(lines).contains("DEBUG io.udpix.driver.NioDriver: probe 42 from the driver",
                "DEBUG io.udpix.api.UdpixServer: probe from the api");
        assertThat(lines).noneMatch(line -> line.contains("library chatter"));
    }

    @Test
    void withoutUdpixLogOnlyWarningsAndErrorsAreShown() throws Exception {
        ListAppender<ILoggingEvent> seen = builtIn();
        System.Logger driver = System.getLogger(NioDriver.class.getName());
        driver.log(System.Logger.Level.DEBUG, "quiet debug");
        driver.log(System.Logger.Level.INFO, "quiet info");
        driver.log(System.Logger.Level.WARNING, "a warning");
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("a warning");
        assertThat(seen.list.get(0).getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void linesNameTheLevelAndTheAbbreviatedLoggerWithoutParsingAPattern() {
        CliLogging.LineLayout layout = new CliLogging.LineLayout();
        layout.setContext(context);
        ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
                getClass().getName(), context.getLogger("io.udpix.driver.NioDriver"), Level.WARN, "a {} warning",
                new java.io.IOException("disk"), new Object[] {"short"});

        String text = layout.doLayout(event);

        assertThat(text).startsWith("udpix WARN  i.udpix.driver.NioDriver: a short warning" + System.lineSeparator())
                .contains("java.io.IOException: disk").contains("at io.udpix.cli.LoggingBridgeTest");
    }

    @Test
    void logbackFindsTheBuiltInConfigurationAsAService() {
        assertThat(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(p -> p.type().getName())).contains(CliLogging.class.getName());
    }

    /** Resets logback to the CLI's built-in configuration and returns an appender that records the root's events. */
    private ListAppender<ILoggingEvent> builtIn() {
        context.reset();
        CliLogging.apply(context);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    /** Resets logback to the resource {@code name} and returns an appender that records what the root gets. */
    private ListAppender<ILoggingEvent> configure(String name) throws Exception {
        URL config = getClass().getClassLoader().getResource(name);
        assertThat(config).as(name + " on the class path").isNotNull();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }
}
