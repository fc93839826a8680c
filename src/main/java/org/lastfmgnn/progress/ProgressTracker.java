package org.lastfmgnn.progress;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one way long work reports progress: a task with a known amount of work logs when it begins, at every
 * tenth of the way, and when it ends, through a sink that the caller chooses (the Neo4j log inside the
 * database, stderr in the launcher). While running it is listed in {@link RunningTasks}.
 */
public final class ProgressTracker implements AutoCloseable {
    private final String task;
    private final long total;
    private final Consumer<String> sink;
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile String stage = "";
    private int lastDecile = -1;

    private ProgressTracker(String task, long total, Consumer<String> sink) {
        this.task = task;
        this.total = Math.max(1, total);
        this.sink = sink;
    }

    public static ProgressTracker start(String task, long total, Consumer<String> sink) {
        ProgressTracker tracker = new ProgressTracker(task, total, sink);
        RunningTasks.add(tracker);
        sink.accept(String.format(Locale.ROOT, "[%s] started, %,d units of work", task, total));
        return tracker;
    }

    /** A tracker that logs nothing, for callers that need none. */
    public static ProgressTracker silent(String task) {
        return new ProgressTracker(task, 1, message -> { });
    }

    public void stage(String stage) {
        this.stage = stage;
        sink.accept("[" + task + "] " + stage);
    }

    public void advance(long units) {
        long now = done.addAndGet(units);
        int decile = (int) Math.min(10, now * 10 / total);
        synchronized (this) {
            if (decile > lastDecile && decile < 10) {
                lastDecile = decile;
                sink.accept(String.format(Locale.ROOT, "[%s] %d%% (%,d / %,d)%s", task, decile * 10, now, total,
                        stage.isEmpty() ? "" : " " + stage));
            }
        }
    }

    public String task() {
        return task;
    }

    public String currentStage() {
        return stage;
    }

    public double fractionDone() {
        return Math.min(1.0, done.get() / (double) total);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        if (RunningTasks.remove(this)) {
            sink.accept(String.format(Locale.ROOT, "[%s] finished in %,d ms", task, elapsedMillis()));
        }
    }
}
