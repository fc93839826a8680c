// Why 1005's first recommended artist: the users whose likes make the kriged-likes term of its score, largest
// first (contribution in logit units; likes: whether that user likes the artist). Read-only.
CALL lastfm.explain.stream(1005, {task: 'artists', modelName: 'gcn-artists', epochs: 10})
YIELD artistId, probability, neighbours
UNWIND neighbours AS n
RETURN artistId, probability, n.userId AS user, n.contribution AS contribution, n.likes AS likes;
