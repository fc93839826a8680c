package org.lastfmgnn.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.server.ProcedureClasses;
import org.lastfmgnn.testing.TestNeo4j;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/** A saved model outlives the server: stop it, start it again on the same store, predict. */
class RestartTest {
    @TempDir
    Path home;

    @Test
    void predictWorksAfterARestart() throws Exception {
        Path imports = Files.createDirectories(home.resolve("import"));
        for (String f : List.of(DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS)) {
            Files.copy(TestNeo4j.DATA.resolve(f), imports.resolve(f));
        }
        DatabaseManagementService dbms = start(imports);
        GraphDatabaseService db = dbms.database("neo4j");
        db.executeTransactionally("CALL lastfm.load({features: 'none'})");
        double accuracy = db.executeTransactionally("""
                CALL lastfm.gnn.train({modelName: 'survivor', folds: 2, epochs: 10, mlpBaseline: false,
                  userQuery: 'MATCH (:User {id: 1005})-[:FRIEND*0..2]-(u:User) RETURN DISTINCT u'})
                YIELD accuracyMean RETURN accuracyMean""", Map.of(), r -> (Double) r.next().get("accuracyMean"));
        assertThat(accuracy).as("1005's neighbourhood: well above its majority region's share").isGreaterThan(0.6);
        dbms.shutdown();

        dbms = start(imports);
        try {
            db = dbms.database("neo4j");
            db.executeTransactionally("MATCH (a:User {id: 1005}) CREATE (:User {id: 800001})-[:FRIEND]->(a)");
            List<Map<String, Object>> rows = db.executeTransactionally(
                    "CALL lastfm.gnn.predict('survivor', {write: true, userQuery: "
                            + "'MATCH (:User {id: 1005})-[:FRIEND*0..2]-(u:User) RETURN DISTINCT u'})",
                    Map.of(), r -> r.stream().toList());
            assertThat(rows).extracting(r -> r.get("userId")).containsExactly(800001L);
            long regionOf1005 = db.executeTransactionally("MATCH (u:User {id: 1005}) RETURN u.region AS r",
                    Map.of(), r -> (Long) r.next().get("r"));
            assertThat(rows.get(0).get("predictedRegion")).isEqualTo(regionOf1005);
            Object models = db.executeTransactionally("CALL lastfm.gnn.models() YIELD modelName RETURN collect(modelName) AS n",
                    Map.of(), r -> r.next().get("n"));
            assertThat(models).isEqualTo(List.of("survivor"));
        } finally {
            dbms.shutdown();
        }
    }

    private DatabaseManagementService start(Path imports) throws Exception {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, imports)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*", "lastfm.*"))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        ProcedureClasses.registerAll(dbms.database("neo4j"));
        return dbms;
    }
}
