package org.lastfmgnn.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/lastfm-gnn-app.jar ...} as a user runs it, its output captured. */
final class LauncherProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private LauncherProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    static LauncherProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    /** @param jvmOptions extra options of the launcher's JVM (e.g. a -D system property) */
    static LauncherProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        String jar = System.getProperty("lastfm.appJar", "target/lastfm-gnn-app.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().remove("LASTFM_NEO4J_PASSWORD");
        return new LauncherProcess(builder.start());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until the output contains {@code text}; fails with the output if the process ends first. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output.toString().contains(text)) {
            if (!process.isAlive()) {
                reader.join(2000);
                if (output.toString().contains(text)) {
                    return;
                }
                throw new AssertionError("launcher exited with " + process.exitValue() + " before printing '" + text + "':\n" + output);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("launcher did not print '" + text + "' within " + timeout + ":\n" + output);
            }
            Thread.sleep(200);
        }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not exit within " + timeout + ":\n" + output);
        }
        reader.join(2000);
        return process.exitValue();
    }

    /** Ctrl-C, as far as the JVM can tell (SIGTERM runs the same shutdown hooks). */
    int interrupt(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: no shutdown hook, no checkpoint, as when the machine loses power or the OOM killer strikes. */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(2000);
    }

    String output() {
        return output.toString();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
