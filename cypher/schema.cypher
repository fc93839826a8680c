// Uniqueness constraints of the LastFM graph. lastfm.load creates them itself; run this when loading with
// plain Cypher (load_users_and_friendships.cypher).
CREATE CONSTRAINT lastfm_user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT lastfm_artist_id IF NOT EXISTS FOR (a:Artist) REQUIRE a.id IS UNIQUE;
