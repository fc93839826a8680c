// Users with their true and predicted regions; where the model disagrees with the data.
MATCH (u:User {id: 1005})-[f:FRIEND*1..2]-(v:User)
RETURN u, f, v;

MATCH (u:User) WHERE u.predictedRegion <> u.region
RETURN u.region AS region, u.predictedRegion AS predicted, count(*) AS users ORDER BY users DESC LIMIT 20;
