// Users and friendships with plain LOAD CSV, for people who prefer Cypher to lastfm.load.
// Put lastfm_asia_target.csv and lastfm_asia_edges.csv into Neo4j's import directory and run schema.cypher
// first. Idempotent (MERGE). Artist likes are JSON: load them with CALL lastfm.load({features: 'auto'}).
// Friendships are mutual: each is stored once, (:User)-[:FRIEND]->(:User), and read without direction.

LOAD CSV WITH HEADERS FROM 'file:///lastfm_asia_target.csv' AS row
CALL (row) {
  MERGE (u:User {id: toInteger(row.id)})
  SET u.region = toInteger(row.target)
} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///lastfm_asia_edges.csv' AS row
CALL (row) {
  MATCH (a:User {id: toInteger(row.node_1)})
  MATCH (b:User {id: toInteger(row.node_2)})
  MERGE (a)-[:FRIEND]-(b)
} IN TRANSACTIONS OF 10000 ROWS;
