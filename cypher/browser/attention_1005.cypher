// GAT attention around user 1005 (after the launcher's pipeline, or CALL lastfm.gnn.train({model: 'gat'})).
// r.attentionForward: weight of the start user's message to the end user; r.attentionBackward: the reverse.
MATCH (u:User {id: 1005})-[r:FRIEND]-(v:User)
RETURN u, r, v,
       CASE WHEN startNode(r) = v THEN r.attentionForward ELSE r.attentionBackward END AS attentionTo1005
ORDER BY attentionTo1005 DESC;
