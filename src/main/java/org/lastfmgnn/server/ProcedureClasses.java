package org.lastfmgnn.server;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.lastfmgnn.procedures.Procedures;
import org.neo4j.gds.ProcedureAndFunctionScanner;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.kernel.api.exceptions.ProcedureException;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.UserAggregationFunction;
import org.neo4j.procedure.UserFunction;

/** The classes a class-path server registers: ours and GDS's (found by GDS's own scanner). */
public final class ProcedureClasses {
    private ProcedureClasses() {
    }

    /** Registers ours and GDS's with a running database's procedure registry. */
    public static void registerAll(GraphDatabaseService db) throws ProcedureException {
        GlobalProcedures registry = ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(GlobalProcedures.class);
        for (Class<?> c : procedures()) {
            registry.registerProcedure(c);
        }
        for (Class<?> c : functions()) {
            registry.registerFunction(c);
        }
        for (Class<?> c : aggregationFunctions()) {
            registry.registerAggregationFunction(c);
        }
    }

    public static List<Class<?>> procedures() {
        List<Class<?>> all = new ArrayList<>(Procedures.ALL);
        all.addAll(gds(Procedure.class));
        return all;
    }

    public static List<Class<?>> functions() {
        return gds(UserFunction.class);
    }

    public static List<Class<?>> aggregationFunctions() {
        return gds(UserAggregationFunction.class);
    }

    private static List<Class<?>> gds(Class<? extends Annotation> annotation) {
        return ProcedureAndFunctionScanner.streamMethodsContainingAnnotation(annotation)
                .<Class<?>>map(Method::getDeclaringClass)
                .distinct()
                .toList();
    }
}
