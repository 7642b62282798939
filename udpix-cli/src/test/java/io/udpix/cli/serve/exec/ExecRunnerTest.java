package io.udpix.cli.serve.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Running commands per item: exit codes, timeouts that kill the whole tree, bounded jobs and output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecRunnerTest {
    @TempDir
    Path dir;

    private Path item(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static ExecRunner runner(String line, boolean shell, int jobs, Duration timeout) {
        return new ExecRunner(ExecCommand.parse(line, shell), jobs, timeout, ExecRunner.DEFAULT_MAX_OUTPUT_BYTES);
    }

    @Test
    void aCommandThatFailsReportsItsExitCodeAndTheEndOfItsStandardError() throws Exception {
        ExecOutcome outcome = runner("sh -c 'echo partial; echo broken input >&2; exit 3'", false, 1,
                Duration.ofSeconds(10)).run(item("a.txt", "x"));
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.failure(10_000)).isEqualTo("exited with code 3");
        assertThat(outcome.stderrTail()).isEqualTo("broken input\n");
        assertThat(outcome.stdoutText()).isEqualTo("partial\n");
    }

    @Test
    void aHangingCommandAndItsChildrenAreKilledAtTheTimeoutAndTheNextRunStillWorks() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        ExecRunner runner = runner("sh -c 'sleep 60 & echo $! > " + pidFile + "; sleep 60'", false, 1,
                Duration.ofMillis(500));
        long startNs = System.nanoTime();
        ExecOutcome hung = runner.run(item("a.txt", "x"));
        long tookMs = (System.nanoTime() - startNs) / 1_000_000;

        assertThat(hung.timedOut()).isTrue();
        assertThat(hung.failure(500)).isEqualTo("timed out after 500 ms and was killed");
        assertThat(tookMs).isBetween(450L, 5_000L);
        long childPid = Long.parseLong(Files.readString(pidFile).strip());
        awaitGone(childPid);

        ExecOutcome next = runner("cat {}", false, 1, Duration.ofSeconds(10)).run(item("b.txt", "next"));
        assertThat(next.ok()).isTrue();
        assertThat(next.stdoutText()).isEqualTo("next");
        ExecOutcome sameRunner = runner.run(item("c.txt", "x"));
        assertThat(sameRunner.timedOut()).as("the slot was given back").isTrue();
    }

    @Test
    void neverRunsMoreThanItsJobsAtOnce() throws Exception {
        Path log = dir.resolve("log");
        ExecRunner runner = runner("sh -c 'echo s >> " + log + "; sleep 0.3; echo e >> " + log + "'", false, 2,
                Duration.ofSeconds(20));
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<ExecOutcome>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Path file = item("i" + i, "x");
                runs.add(callers.submit(() -> runner.run(file)));
            }
            for (Future<ExecOutcome> run : runs) {
                assertThat(run.get(30, TimeUnit.SECONDS).ok()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
        int running = 0;
        int peak = 0;
        List<String> events = Files.readAllLines(log);
        for (String event : events) {
            running += event.equals("s") ? 1 : -1;
            peak = Math.max(peak, running);
        }
        assertThat(events).hasSize(12);
        assertThat(peak).as("processes running at once, from their own log").isEqualTo(2);
    }

    @Test
    void aHostileNameIsOneArgumentAndNeverInterpreted() throws Exception {
        String hostile = "a; touch pwned1 $(touch pwned2) `touch pwned3` 'q\" *.txt";
        Path file = item(hostile, "x");
        ExecOutcome plain = new ExecRunner(ExecCommand.parse("printf %s|%s {} end", false), 1,
                Duration.ofSeconds(10), 4096).run(file);
        assertThat(plain.stdoutText()).isEqualTo(file.toAbsolutePath() + "|end");

        ExecOutcome shell = runner("printf %s {}; printf '|%s' \"$#\"", true, 1, Duration.ofSeconds(10)).run(file);
        assertThat(shell.stdoutText()).isEqualTo(file.toAbsolutePath() + "|1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
        }
        assertThat(Path.of("pwned1")).doesNotExist();
        assertThat(Path.of("pwned2")).doesNotExist();
    }

    @Test
    void theItemIsStandardInputAndOutputIsCutAtTheLimit() throws Exception {
        ExecOutcome counted = runner("wc -c", false, 1, Duration.ofSeconds(10)).run(item("five", "12345"));
        assertThat(counted.stdoutText().strip()).isEqualTo("5");

        ExecOutcome big = new ExecRunner(ExecCommand.parse("head -c 3000000 /dev/zero", false), 1,
                Duration.ofSeconds(20), 1 << 20).run(item("x", ""));
        assertThat(big.ok()).isTrue();
        assertThat(big.stdout()).hasSize(1 << 20);
        assertThat(big.stdoutDroppedBytes()).isEqualTo(3_000_000 - (1 << 20));
        assertThat(big.truncated()).isTrue();
    }

    @Test
    void aCommandThatCannotStartSaysWhy() throws Exception {
        ExecOutcome outcome = runner("/nonexistent/tool {}", false, 1, Duration.ofSeconds(10)).run(item("a", "x"));
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.failure(10_000)).startsWith("could not start: ").contains("/nonexistent/tool");
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadlineNs) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the command's child %d was killed too", pid).isFalse();
    }
}
