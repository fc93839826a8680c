package org.lastfmgnn.progress;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one way long work reports progress: a task with a known amount of work logs when it begins, at every
 * tenth of the way, and when it ends, through a sink that the caller chooses (the Neo4j log inside the
 * database, stderr in the launcher). While running it is listed in {@link RunningTasks}. Long loops also ask it
 * whether to stop ({@link #checkCancelled()}): inside Neo4j that is the transaction's termination guard, so
 * TERMINATE TRANSACTION stops a training within an epoch.
 */
public final class ProgressTracker implements AutoCloseable {
    private final String task;
    private final long total;
    private final Consumer<String> sink;
    private final Runnable cancellation;
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile String stage = "";
    private int lastDecile = -1;

    private ProgressTracker(String task, long total, Consumer<String> sink, Runnable cancellation) {
        this.task = task;
        this.total = Math.max(1, total);
        this.sink = sink;
        this.cancellation = cancellation;
    }

    public static ProgressTracker start(String task, long total, Consumer<String> sink) {
        return start(task, total, sink, () -> { });
    }

    /** @param cancellation throws to stop the work (e.g. Neo4j's TerminationGuard::check) */
    public static ProgressTracker start(String task, long total, Consumer<String> sink, Runnable cancellation) {
        ProgressTracker tracker = new ProgressTracker(task, total, sink, cancellation);
        RunningTasks.add(tracker);
        sink.accept(String.format(Locale.ROOT, "[%s] started, %,d units of work", task, total));
        return tracker;
    }

    /** A tracker that logs nothing, for callers that need none. */
    public static ProgressTracker silent(String task) {
        return new ProgressTracker(task, 1, message -> { }, () -> { });
    }

    /** Throws if the work should stop; called by training loops once per epoch. */
    public void checkCancelled() {
        cancellation.run();
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
