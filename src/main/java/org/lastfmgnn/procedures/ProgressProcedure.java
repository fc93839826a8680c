package org.lastfmgnn.procedures;

import java.util.stream.Stream;
import org.lastfmgnn.progress.RunningTasks;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Procedure;

/** {@code CALL lastfm.gnn.progress()}: the long tasks running now. */
public class ProgressProcedure {
    /** One running task. */
    public record Progress(String taskName, String stage, double progress, long elapsedMillis) {
    }

    @Procedure(name = "lastfm.gnn.progress", mode = Mode.READ)
    @Description("Lists the running lastfm tasks (training, loading) with their stage and the share done.")
    public Stream<Progress> progress() {
        return RunningTasks.list().stream()
                .map(t -> new Progress(t.task(), t.currentStage(), t.fractionDone(), t.elapsedMillis()));
    }
}
