"""Kriging the artist likes over the friendships (SYNTHETIC likes; issue #14): how far it goes, and its approximations.

Outside the product, NumPy/SciPy only; the same folds as artist_headroom.py (5 folds of held-out users, fold seed 42,
1,500 training users per fold set aside for tuning). Model (the product's recommend/SocialKriging): each user's taste
is half its own and half the mean of its friends' own tastes, t = M p, M = 0.5 I + 0.5 D^-1 A; a visible user's likes
minus its region's shares are r_v = t_v + noise. The best linear prediction of a hidden user's r_u from the visible
users' (Gaussian-process regression) is  M_u M_V^T (M_V M_V^T + lambda I)^-1 r_V,  ranked as regional share + beta x
that. Rows:
- regional popularity; the tuned blend (regional + friends' + friends-of-friends' shares, as artist_headroom.py);
- kriging, lambda 2, beta 1 (the product's constants), the solve over every visible user;
- kriging, (lambda, beta) chosen on the set-aside users from {1, 2, 4} x {0.5, 1, 2};
- kriging, lambda 2, beta 1, the solve restricted to the visible users within two hops of the user (the product's).
NDCG@20 with binary relevance over all artists, as the product's RankingReport.

Run from the repository root:  python3 docs/experiments/artist_kriging.py   (about 5 minutes, 6 GB of memory)
"""
import numpy as np, scipy.sparse as sp, scipy.linalg as sl

src = open('docs/experiments/artist_headroom.py').read()
exec(src.split("out = {")[0].split('"""', 2)[2])  # the data, ndcg(), features(), blend_weights() of that study
Ld = L.toarray().astype(np.float32)
Ms = sp.csr_matrix(0.5 * sp.eye(n) + 0.5 * sp.diags(1 / deg) @ Adj)
Sig = (Ms @ Ms.T).toarray()
Ab = (Adj + sp.eye(n)).tocsr(); A2 = (Ab @ Ab).tocsr()
LAMBDAS, BETAS = (1, 2, 4), (0.5, 1, 2)


def residuals(vis):
    regall = np.stack([np.asarray(L[vis & (y == r)].sum(0)).ravel() / max(1, (vis & (y == r)).sum()) for r in range(R)])
    return Ld - regall[y], regall


def kriged(users, vis, Res, lam):
    V = np.where(vis)[0]
    c = sl.cho_factor(Sig[np.ix_(V, V)] + lam * np.eye(len(V)))
    return sl.cho_solve(c, Sig[np.ix_(users, V)].T).T @ Res[V]


def kriged_two_hops(users, vis, Res, lam):
    out = np.zeros((len(users), A), np.float32)
    for i, u in enumerate(users):
        ball = A2[u].indices; ball = ball[vis[ball] & (ball != u)]
        if len(ball):
            MB = Ms[ball]
            x = np.linalg.solve((MB @ MB.T).toarray() + lam * np.eye(len(ball)), MB @ Ms[u].T.toarray().ravel())
            out[i] = x @ Res[ball]
    return out


out = {k: [] for k in ('regional popularity', 'blend, tuned', 'kriging (2, 1)', 'kriging, tuned', 'kriging (2, 1), two hops')}
perm = np.random.RandomState(42).permutation(n)
for f in range(5):
    test = np.sort(perm[f::5]); vis = np.ones(n, bool); vis[test] = False
    tune = np.sort(np.random.RandomState(f).choice(np.where(vis)[0], 1500, replace=False))
    vis2 = vis.copy(); vis2[tune] = False
    Res2, reg2 = residuals(vis2)
    K2 = {lam: kriged(tune, vis2, Res2, lam) for lam in LAMBDAS}
    _, lam, beta = max((ndcg(reg2[y[tune]] + b * K2[l], tune), l, b) for l in LAMBDAS for b in BETAS)
    _, ch, Sh = features(tune, vis2); w = blend_weights(Sh, ch, tune)
    Res, reg = residuals(vis); qt = reg[y[test]]
    _, ct, St = features(test, vis)
    Kt = {l: kriged(test, vis, Res, l) for l in sorted({2, lam})}
    out['regional popularity'].append(ndcg(qt, test))
    out['blend, tuned'].append(ndcg(ranked(St['reg'] + w[1] * St['fs'] + w[2] * St['f2'], ct), test))
    out['kriging (2, 1)'].append(ndcg(qt + Kt[2], test))
    out['kriging, tuned'].append(ndcg(qt + beta * Kt[lam], test))
    out['kriging (2, 1), two hops'].append(ndcg(qt + kriged_two_hops(test, vis, Res, 2), test))
    print('fold', f + 1, 'chosen lambda', lam, 'beta', beta, {k: round(v[-1], 4) for k, v in out.items()}, flush=True)
for k, v in out.items():
    print(f'{k}: NDCG@20 {np.mean(v):.4f} (std {np.std(v):.4f} over folds)')
# what the README and BENCHMARKS quote from this run, held here (a change that moves them fails the script)
quoted = {'regional popularity': 0.5613, 'blend, tuned': 0.5718, 'kriging (2, 1)': 0.5797, 'kriging, tuned': 0.5800,
          'kriging (2, 1), two hops': 0.5796}
for k, v in quoted.items():
    assert abs(np.mean(out[k]) - v) < 0.0005, f'{k}: {np.mean(out[k]):.4f}, quoted {v}'
assert all(k > b for k, b in zip(out['kriging (2, 1), two hops'], out['blend, tuned'])), 'not above the blend on every fold'
print('the quoted figures hold')
