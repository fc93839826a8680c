package org.lastfmgnn.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.dataset.DatasetFiles;
import org.lastfmgnn.store.GraphModel;
import org.lastfmgnn.testing.TestNeo4j;

/** The scripts in cypher/ build the same graph as lastfm.load. */
class CypherScriptsTest {
    @Test
    void schemaScriptHoldsTheConstraintsTheLoaderCreates() throws IOException {
        String script = Files.readString(Path.of("cypher/schema.cypher"));
        for (String constraint : GraphModel.CONSTRAINTS) {
            assertThat(script).contains(constraint + ";");
        }
    }

    @Test
    void loadCsvScriptBuildsTheSameUsersAndFriendships() throws IOException {
        try (TestNeo4j neo4j = TestNeo4j.start()) {
            neo4j.stage("", DatasetFiles.USERS, DatasetFiles.FRIENDSHIPS);
            for (String file : List.of("cypher/schema.cypher", "cypher/load_users_and_friendships.cypher")) {
                for (String statement : statements(Path.of(file))) {
                    neo4j.run(statement);
                }
            }
            Map<String, Long> byScript = neo4j.shape();
            assertThat(byScript).containsEntry("users", 7_624L).containsEntry("friendships", 27_806L);
            var result = neo4j.run("CALL lastfm.load({features: 'none'})").get(0);
            assertThat(result.get("nodesCreated").asLong()).as("only the dataset record is new").isEqualTo(1);
            assertThat(result.get("relationshipsCreated").asLong()).isZero();
            assertThat(result.get("propertiesSet").asLong()).isZero();
        }
    }

    private static List<String> statements(Path file) throws IOException {
        String withoutComments = Arrays.stream(Files.readString(file).split("\n"))
                .filter(line -> !line.trim().startsWith("//"))
                .reduce("", (a, b) -> a + b + "\n");
        return Arrays.stream(withoutComments.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
