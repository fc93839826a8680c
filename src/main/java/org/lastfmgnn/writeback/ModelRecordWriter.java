package org.lastfmgnn.writeback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.catalog.StoredModel;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

/** The {@code (:GnnModel)} node that records a training run in the graph, one per model name. */
public final class ModelRecordWriter {
    public static final Label GNN_MODEL = Label.label("GnnModel");

    private ModelRecordWriter() {
    }

    /** Creates or replaces the record of {@code model.name()}; metrics become properties (maps as JSON). */
    public static void write(GraphDatabaseService db, StoredModel model) {
        try (Transaction tx = db.beginTx()) {
            Node node = tx.findNode(GNN_MODEL, "name", model.name());
            if (node == null) {
                node = tx.createNode(GNN_MODEL);
                node.setProperty("name", model.name());
            }
            for (String key : node.getPropertyKeys()) {
                if (!key.equals("name")) {
                    node.removeProperty(key);
                }
            }
            node.setProperty("runId", model.runId());
            node.setProperty("formatVersion", model.formatVersion());
            node.setProperty("task", model.task());
            node.setProperty("model", model.model());
            node.setProperty("config", json(model.config()));
            node.setProperty("inputs", model.inputs().toArray(new String[0]));
            node.setProperty("featureSource", model.featureSource());
            node.setProperty("trainedAt", ZonedDateTime.parse(model.trainedAt()));
            for (Map.Entry<String, Object> metric : model.metrics().entrySet()) {
                node.setProperty(metric.getKey(), propertyValue(metric.getValue()));
            }
            tx.commit();
        }
    }

    private static Object propertyValue(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Number || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof List<?> list && list.stream().allMatch(Number.class::isInstance)) {
            return list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        return json(value);
    }

    /** The run id the record of {@code name} names, or null when there is no record. */
    public static String runId(GraphDatabaseService db, String name) {
        try (Transaction tx = db.beginTx()) {
            Node node = tx.findNode(GNN_MODEL, "name", name);
            return node == null ? null : (String) node.getProperty("runId", null);
        }
    }

    /** Removes the record; returns whether there was one. */
    public static boolean delete(GraphDatabaseService db, String name) {
        try (Transaction tx = db.beginTx()) {
            Node node = tx.findNode(GNN_MODEL, "name", name);
            if (node == null) {
                return false;
            }
            node.delete();
            tx.commit();
            return true;
        }
    }

    private static String json(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
