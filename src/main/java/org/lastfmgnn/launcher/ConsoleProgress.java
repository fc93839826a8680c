package org.lastfmgnn.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lastfmgnn.progress.ProgressTracker;
import org.lastfmgnn.progress.RunningTasks;

/**
 * Progress bars on the launcher's terminal for the long stages (load, each training, the artists, the explainers):
 * one bar per task in {@link RunningTasks}, the same trackers {@code lastfm.gnn.progress()} lists, polled so the
 * procedures need not know a console exists. Started only when a person is watching (a terminal): piped or
 * redirected output keeps the tracker's log lines alone.
 */
final class ConsoleProgress implements AutoCloseable {
    private static final int SCALE = 1000;
    private static final Duration POLL = Duration.ofMillis(300);

    private final Map<ProgressTracker, ProgressBar> bars = new HashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    private ConsoleProgress() {
        poller = new Thread(this::poll, "lastfm-gnn-console-progress");
        poller.setDaemon(true);
        poller.start();
    }

    /** Bars on the terminal, or nothing when the output is not one. */
    static AutoCloseable startIfInteractive() {
        return System.console() == null ? () -> { } : new ConsoleProgress();
    }

    private void poll() {
        while (running) {
            refresh();
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void refresh() {
        Set<ProgressTracker> live = RunningTasks.list().stream().collect(Collectors.toSet());
        bars.entrySet().removeIf(entry -> {
            if (live.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().stepTo(SCALE);
            entry.getValue().close();
            return true;
        });
        for (ProgressTracker tracker : live) {
            ProgressBar bar = bars.computeIfAbsent(tracker, t -> new ProgressBarBuilder().setTaskName(t.task())
                    .setInitialMax(SCALE).setStyle(ProgressBarStyle.ASCII).hideEta().continuousUpdate().build());
            bar.stepTo(Math.round(tracker.fractionDone() * SCALE));
            bar.setExtraMessage(tracker.currentStage());
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        poller.interrupt();
        bars.values().forEach(ProgressBar::close);
        bars.clear();
    }
}
