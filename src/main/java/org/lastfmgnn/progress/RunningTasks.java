package org.lastfmgnn.progress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The tasks now running in this JVM, for progress listings. */
public final class RunningTasks {
    private static final List<ProgressTracker> TASKS = new CopyOnWriteArrayList<>();

    private RunningTasks() {
    }

    static void add(ProgressTracker tracker) {
        TASKS.add(tracker);
    }

    static boolean remove(ProgressTracker tracker) {
        return TASKS.remove(tracker);
    }

    public static List<ProgressTracker> list() {
        return List.copyOf(TASKS);
    }
}
