package org.lastfmgnn.procedures;

import java.nio.file.Path;
import org.lastfmgnn.catalog.ModelStore;
import org.lastfmgnn.dataset.ImportDirectory;
import org.lastfmgnn.service.ModelCatalog;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/** The server's folders that procedures use: the import directory and the model store under data/. */
final class Neo4jPaths {
    private Neo4jPaths() {
    }

    static ImportDirectory importDirectory(GraphDatabaseService db) {
        Path root = config(db).get(GraphDatabaseSettings.load_csv_file_url_root);
        if (root == null) {
            throw new IllegalStateException("Neo4j has no import directory configured (server.directories.import)");
        }
        return new ImportDirectory(root);
    }

    /** One store per database: models trained on one database's graph are not offered on another's. */
    static ModelStore modelStore(GraphDatabaseService db) {
        Path data = config(db).get(GraphDatabaseSettings.data_directory);
        return new ModelStore(data.resolve("lastfm-gnn").resolve(db.databaseName()).resolve("models"));
    }

    /** The saved models of the database: its files and its (:GnnModel) records, kept in agreement. */
    static ModelCatalog catalog(GraphDatabaseService db) {
        return new ModelCatalog(db, modelStore(db));
    }

    private static Config config(GraphDatabaseService db) {
        return ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(Config.class);
    }
}
