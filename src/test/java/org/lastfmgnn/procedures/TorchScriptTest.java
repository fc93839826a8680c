package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * The route past this machine, as users take it: one of our trained models written as TorchScript
 * ({@code lastfm.gnn.export.model}), imported back as another model ({@code lastfm.gnn.import}), then served by
 * predict (stream and write), explained and listed like a model trained here, with the same predictions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TorchScriptTest {
    /** Users whose region is taken away, so that predict has someone to predict. */
    private static final String HIDDEN = "MATCH (u:User) WHERE u.id % 40 = 7";
    private TestNeo4j neo4j;

    @BeforeAll
    void start() throws IOException {
        neo4j = TestNeo4j.start();
        neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
        neo4j.run("CALL lastfm.load({features: 'none'})");
        neo4j.run("CALL lastfm.gnn.train({model: 'gcn', folds: 2, epochs: 30, baselines: false})");
        neo4j.run(HIDDEN + " SET u.hiddenRegion = u.region REMOVE u.region");
    }

    @AfterAll
    void stop() {
        neo4j.close();
    }

    @Test
    @Order(1)
    void aTrainedModelRoundTripsThroughTorchScriptWithTheSamePredictions() throws IOException {
        Record exported = neo4j.run("CALL lastfm.gnn.export.model('gcn-region', {file: 'models/gcn.pt'})").get(0);
        assertThat(exported.get("file").asString()).isEqualTo("models/gcn.pt");
        assertThat(exported.get("inputs").asList(Value::asString)).containsExactly("labels", "structure");
        assertThat(exported.get("classes").asLong()).isEqualTo(18);
        assertThat(exported.get("xColumns").asList(Value::asString)).hasSize(3 * 19 + 2).endsWith("logDegree", "inverseSqrtDegree");
        assertThat(Files.size(neo4j.importDir().resolve("models/gcn.pt"))).isEqualTo(exported.get("bytes").asLong());

        Record imported = neo4j.run("CALL lastfm.gnn.import({file: 'models/gcn.pt', modelName: 'gcn-imported'})").get(0);
        assertThat(imported.get("described").asBoolean()).isTrue();
        assertThat(imported.get("model").asString()).isEqualTo("gcn");
        assertThat(imported.get("inputWidth").asLong()).isEqualTo(59);
        assertThat(imported.get("nodeCount").asLong()).isEqualTo(7624);

        Map<Long, Record> ours = predictions("gcn-region");
        Map<Long, Record> theirs = predictions("gcn-imported");
        assertThat(ours).hasSizeGreaterThan(150);
        assertThat(theirs.keySet()).isEqualTo(ours.keySet());
        for (Map.Entry<Long, Record> e : ours.entrySet()) {
            Record other = theirs.get(e.getKey());
            assertThat(other.get("predictedRegion").asLong()).isEqualTo(e.getValue().get("predictedRegion").asLong());
            // the same computation in the same kernels: the same numbers, not merely close ones
            assertThat(other.get("regionProbabilities").asList(Value::asDouble))
                    .isEqualTo(e.getValue().get("regionProbabilities").asList(Value::asDouble));
        }
    }

    @Test
    @Order(2)
    void theImportedModelIsListedWrittenBackAndExplained() {
        Record listed = neo4j.run("CALL lastfm.gnn.models() YIELD modelName, model, config "
                + "WHERE modelName = 'gcn-imported' RETURN model, config").get(0);
        assertThat(listed.get("model").asString()).isEqualTo("gcn");
        assertThat(listed.get("config").asMap()).containsEntry("file", "models/gcn.pt");

        neo4j.run("CALL lastfm.gnn.predict('gcn-imported', {write: true})");
        long hidden = neo4j.count(HIDDEN + " RETURN count(u)");
        assertThat(neo4j.count(HIDDEN + " AND u.predictionModel = 'gcn-imported' AND u.predictedRegion IS NOT NULL "
                + "RETURN count(u)")).isEqualTo(hidden);
        assertThat(neo4j.count("MATCH (m:GnnModel {name: 'gcn-imported'}) RETURN count(m)")).isEqualTo(1);

        Record ours = neo4j.run("CALL lastfm.explain.stream(1005, {modelName: 'gcn-region', method: 'saliency'})").get(0);
        Record theirs = neo4j.run("CALL lastfm.explain.stream(1005, {modelName: 'gcn-imported', method: 'saliency'})").get(0);
        assertThat(theirs.get("predictedRegion").asLong()).isEqualTo(ours.get("predictedRegion").asLong());
        assertThat(theirs.get("probability").asDouble()).isEqualTo(ours.get("probability").asDouble(),
                org.assertj.core.data.Offset.offset(1e-6));
        List<Object> ourEdges = ours.get("edges").asList(v -> v.get("source").asObject() + "->" + v.get("target").asObject());
        List<Object> theirEdges = theirs.get("edges").asList(v -> v.get("source").asObject() + "->" + v.get("target").asObject());
        // the module's gradient reaches each edge as ours does: the same top edges, in the same order
        assertThat(theirEdges).hasSize(10).isEqualTo(ourEdges);
    }

    @Test
    @Order(3)
    void badFilesAndConfigsAreRefusedAndNothingIsSaved() throws IOException {
        Files.writeString(neo4j.importDir().resolve("models/notes.pt"), "not a module");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: 'models/notes.pt', modelName: 'bad'})"))
                .hasMessageContaining("not a zip archive");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: 'models/none.pt', modelName: 'bad'})"))
                .hasMessageContaining("no file 'models/none.pt'");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: 'models/gcn.pt'})"))
                .hasMessageContaining("'modelName' is required");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: 'models/gcn.pt', modelName: 'bad', smoothin: 0.5})"))
                .hasMessageContaining("smoothin").hasMessageContaining("did you mean 'smoothing'");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: 'models/gcn.pt', modelName: 'bad', inputs: ['artists']})"))
                .hasMessageContaining("Allowed: [labels, structure]");
        // the module reads 59 columns; told its x is the 2 structure columns, its forward fails on this graph
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: 'models/gcn.pt', modelName: 'bad', inputs: ['structure']})"))
                .hasMessageContaining("forward(x, edge_index, edge_weight) failed")
                .hasMessageContaining("shapes cannot be multiplied (7624x2 and 59x64)");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.import({file: '../gcn.pt', modelName: 'bad'})"))
                .hasMessageContaining("import directory");
        assertThatThrownBy(() -> neo4j.run("CALL lastfm.gnn.export.model('nothing')")).hasMessageContaining("No model named 'nothing'");
        assertThat(neo4j.run("CALL lastfm.gnn.models() YIELD modelName RETURN collect(modelName) AS names").get(0)
                .get("names").asList(Value::asString)).containsExactlyInAnyOrder("gcn-region", "gcn-imported");
    }

    private Map<Long, Record> predictions(String model) {
        Map<Long, Record> out = new HashMap<>();
        for (Record r : neo4j.run("CALL lastfm.gnn.predict.stream($m)", Map.of("m", model))) {
            out.put(r.get("userId").asLong(), r);
        }
        return out;
    }
}
