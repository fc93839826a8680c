"""How far can the artist likes' observable signals go? (SYNTHETIC likes; issue #14.)

Outside the product, NumPy/SciPy only: 5 folds of held-out users (fold seed 42), each held-out user's likes hidden,
every signal read from the other users' likes. Per fold, 1,500 training users are set aside (their likes hidden
too) to tune the blend and fit a logistic regression; the held-out users are then ranked with those weights.
Methods: regional popularity; the blend (regional popularity + friends' share + friends-of-friends' share,
weights by coordinate ascent over 0, 0.25, 0.5, 1, 2, 4 as the product's blend); a logistic regression over 19
signals of each (user, artist) pair (log-odds of regional and global popularity, friends' and friends-of-friends'
shares, the friends' likes weighted by 1/degree, residuals against the friends' regions, the residual likes
diffused 1-3 hops, interactions with the user's degree), trained on the 400 best-blended artists of each set-aside
user. NDCG@20 with binary relevance over all artists, as the product's RankingReport.

Run from the repository root:  python3 docs/experiments/artist_headroom.py   (about 1 minute, 4 GB of memory)
"""
import gzip, json
import numpy as np, scipy.sparse as sp
from scipy.optimize import minimize

D = 'data/'
E = np.loadtxt(D + 'lastfm_asia_edges.csv', delimiter=',', skiprows=1, dtype=int)
T = np.loadtxt(D + 'lastfm_asia_target.csv', delimiter=',', skiprows=1, dtype=int)
F = json.load(gzip.open(D + 'lastfm_asia_features.synthetic.json.gz'))
n, A, R = len(T), 1 + max(max(v) for v in F.values()), T[:, 1].max() + 1
y = np.zeros(n, int); y[T[:, 0]] = T[:, 1]
rows = np.concatenate([[int(k)] * len(v) for k, v in F.items()]); cols = np.concatenate(list(F.values()))
L = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, A))
Adj = sp.csr_matrix((np.ones(2 * len(E), np.float32), (np.r_[E[:, 0], E[:, 1]], np.r_[E[:, 1], E[:, 0]])), shape=(n, n))
deg = np.asarray(Adj.sum(1)).ravel()
disc = 1 / np.log2(np.arange(2, 22))
C = 400


def ndcg(scores, users, k=20):
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, 1), 1), 1)
    rel = np.asarray(L[users][np.repeat(np.arange(len(users)), k), top.ravel()]).reshape(len(users), k)
    idcg = np.array([disc[:min(k, c)].sum() for c in np.diff(L[users].indptr)])
    return ((rel * disc[:k]).sum(1) / np.maximum(idcg, 1e-9)).mean()


def features(users, vis):
    V = sp.diags(vis.astype(np.float32)); Lv = V @ L
    pop = np.asarray(Lv.sum(0)).ravel() / vis.sum()
    regall = np.stack([np.asarray(L[vis & (y == r)].sum(0)).ravel() / max(1, (vis & (y == r)).sum()) for r in range(R)])
    reg = regall[y[users]]
    AV = Adj[users] @ V; dv = np.asarray(AV.sum(1)).ravel()[:, None]
    fs = (AV @ L).toarray() / np.maximum(dv, 1)
    A2 = (Adj[users] @ Adj).tocsr(); A2.data[:] = 1
    A2 = (A2 - A2.multiply(Adj[users])).tolil()
    for i, u in enumerate(users):
        A2[i, u] = 0
    A2 = A2.tocsr(); A2.eliminate_zeros(); A2 = A2 @ V
    d2 = np.asarray(A2.sum(1)).ravel()[:, None]; f2 = (A2 @ L).toarray() / np.maximum(d2, 1)
    W = AV @ sp.diags(1 / deg); fw = (W @ L).toarray(); fwn = fw / np.maximum(np.asarray(W.sum(1)).ravel()[:, None], 1e-9)
    fr = fs - np.asarray((AV / np.maximum(dv, 1)) @ regall[y])  # friends' likes against their own regions
    M1 = np.asarray(sp.diags(1 / np.maximum(np.asarray((Adj @ V).sum(1)).ravel(), 1)) @ (Adj @ Lv).toarray(), np.float32)
    g2 = np.asarray((AV / np.maximum(dv, 1)) @ M1)
    fw2 = ((AV @ sp.diags(1 / deg ** 2)) @ L).toarray()
    P = sp.diags(1 / np.maximum(deg, 1)) @ Adj
    Res = Lv.toarray() - regall[y] * vis[:, None]
    D1 = P @ Res; D2 = P @ D1; D3 = P @ D2
    cand = np.argpartition(-(reg + 0.25 * fs), C, axis=1)[:, :C]
    g = lambda M: M[0][cand] if M.shape[0] == 1 else np.take_along_axis(M, cand, 1)
    lg = lambda p: np.log(np.clip(p, 1e-4, 1 - 1e-4) / (1 - np.clip(p, 1e-4, 1 - 1e-4)))
    ldv = np.log1p(dv) + 0 * cand; ld2 = np.log1p(d2) + 0 * cand
    X = [lg(g(reg)), lg(g(pop[None])), g(fs), g(f2), g(fs) * ldv, g(f2) * ld2, g(fwn), g(fw), g(fr), g(fr) * ldv,
         (dv > 0) + 0 * cand, ldv, g(fs) * lg(g(reg)), g(g2), g(fw2), g(g2) * ldv, g(D1[users]), g(D2[users]), g(D3[users])]
    return np.stack([x.astype(np.float64) for x in X], -1), cand, dict(reg=g(reg), fs=g(fs), f2=g(f2))


def ranked(scores, cand):
    full = np.full((cand.shape[0], A), -1e9); np.put_along_axis(full, cand, scores, 1); return full


def logistic(X, Y, l2=1e-3):
    Xf = X.reshape(-1, X.shape[-1]); mu, sd = Xf.mean(0), Xf.std(0) + 1e-9
    Z = np.c_[(Xf - mu) / sd, np.ones(len(Xf))]; Yf = Y.ravel()

    def loss(w):
        s = Z @ w; l = np.logaddexp(0, s) - Yf * s
        return l.mean() + l2 * (w[:-1] ** 2).sum(), Z.T @ (1 / (1 + np.exp(-s)) - Yf) / len(Z) + 2 * l2 * np.r_[w[:-1], 0]
    w = minimize(loss, np.zeros(Z.shape[1]), jac=True, method='L-BFGS-B').x
    return lambda X: ((X - mu) / sd) @ w[:-1] + w[-1]


def blend_weights(S, cand, users):
    w = [1.0, 0.0, 0.0]
    score = lambda w: ndcg(ranked(S['reg'] + w[1] * S['fs'] + w[2] * S['f2'], cand), users)
    best = score(w)
    for _ in range(2):
        for j in (1, 2):
            for v in (0, 0.25, 0.5, 1, 2, 4):
                t = list(w); t[j] = v; s = score(t)
                if s > best + 1e-5:
                    best, w = s, t
    return w


out = {'regional popularity': [], 'blend, tuned': [], 'logistic regression, 19 signals': []}
perm = np.random.RandomState(42).permutation(n)
for f in range(5):
    test = np.sort(perm[f::5]); vis = np.ones(n, bool); vis[test] = False
    tune = np.sort(np.random.RandomState(f).choice(np.where(vis)[0], 1500, replace=False))
    vis2 = vis.copy(); vis2[tune] = False
    Xh, ch, Sh = features(tune, vis2)
    Yh = np.asarray(L[tune][np.repeat(np.arange(len(tune)), C), ch.ravel()]).reshape(ch.shape)
    model, w = logistic(Xh, Yh), blend_weights(Sh, ch, tune)
    Xt, ct, St = features(test, vis)
    out['regional popularity'].append(ndcg(ranked(St['reg'], ct), test))
    out['blend, tuned'].append(ndcg(ranked(St['reg'] + w[1] * St['fs'] + w[2] * St['f2'], ct), test))
    out['logistic regression, 19 signals'].append(ndcg(ranked(model(Xt), ct), test))
    print('fold', f + 1, {k: round(v[-1], 4) for k, v in out.items()}, flush=True)
for k, v in out.items():
    print(f'{k}: NDCG@20 {np.mean(v):.4f} (std {np.std(v):.4f} over folds)')
# what the README quotes from this run, held here (a change that moves them fails the script)
quoted = {'regional popularity': 0.5613, 'blend, tuned': 0.5718, 'logistic regression, 19 signals': 0.5753}
for k, v in quoted.items():
    assert abs(np.mean(out[k]) - v) < 0.0005, f'{k}: {np.mean(out[k]):.4f}, README quotes {v}'
assert all(m > b for m, b in zip(out['logistic regression, 19 signals'], out['blend, tuned'])), 'not above the blend on every fold'
print('the README figures hold')
