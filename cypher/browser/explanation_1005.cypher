// GNNExplainer's explanation of 1005's predicted region: the message edges that mattered most.
// Run CALL lastfm.explain(1005, {write: true}) first (the launcher's pipeline does).
MATCH (s:User)-[i:INFLUENCES {explainedUser: 1005}]->(t:User)
RETURN s, i, t ORDER BY i.importance DESC;
