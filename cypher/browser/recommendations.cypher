// Artist recommendations and friend suggestions of a user (SYNTHETIC likes unless the real file was loaded).
MATCH (u:User {id: 1005})-[r:RECOMMENDED]->(a:Artist)
RETURN u, r, a ORDER BY r.rank LIMIT 20;

// friend suggestions from the link predictor the main job trained (lastfm.gnn.train({task: 'friends'})):
// friends of friends first, each by the probability it gives the friendship
CALL lastfm.recommend.friends(1005, {k: 10, modelName: 'gcn-friends', write: true});
MATCH (u:User {id: 1005})-[s:SUGGESTED_FRIEND]->(v:User) RETURN u, s, v;
