package org.lastfmgnn.procedures;

import java.util.List;

/** Every procedure class of the plugin, for servers that register procedures by class (launcher, tests). */
public final class Procedures {
    public static final List<Class<?>> ALL = List.of(LoadProcedure.class, TrainProcedure.class, PredictProcedures.class,
            ModelCatalogProcedures.class, ProgressProcedure.class, RecommendProcedures.class, ExplainProcedure.class,
            ExportProcedure.class, TorchScriptProcedures.class);

    private Procedures() {
    }
}
