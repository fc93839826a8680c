// The explorer: Cypher through Neo4j's HTTP endpoint (/db/neo4j/tx/commit) with the user's own login, drawn with
// ECharts' graph series (force layout, zoom and drag, click for properties). The page keeps nothing of the login
// but the Authorization header, in memory.
(function () {
  const state = { auth: null };
  const chart = echarts.init(document.getElementById('graph'));
  const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#bab0ac', '#1f77b4', '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#dbdb8d'];

  async function cypher(statement, parameters) {
    const response = await fetch('/db/neo4j/tx/commit', {
      method: 'POST',
      // X-Ajax-Browser-Auth: Neo4j then answers a wrong login without WWW-Authenticate, so no native dialog pops up
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Authorization': state.auth,
        'X-Ajax-Browser-Auth': 'true' },
      body: JSON.stringify({ statements: [{ statement, parameters: parameters || {} }] })
    });
    if (response.status === 401 || response.status === 403) {
      throw new Error('Wrong user or password (HTTP ' + response.status + ')');
    }
    const body = await response.json();
    if (body.errors && body.errors.length) {
      throw new Error(body.errors[0].message);
    }
    const result = body.results[0];
    return result.data.map(d => Object.fromEntries(result.columns.map((c, i) => [c, d.row[i]])));
  }

  function widthOf(value, max) {
    return max > 0 ? 1 + 11 * Math.abs(value) / max : 1;
  }

  function draw(graph, caption) {
    const nodes = [...graph.nodes.values()];
    chart.setOption({
      tooltip: { formatter: p => p.dataType === 'edge' ? p.data.label : p.data.name },
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true, animation: false,
        force: { repulsion: 260, edgeLength: [60, 160] },
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9,
        label: { show: true, position: 'right', formatter: '{b}' },
        lineStyle: { curveness: 0.15, opacity: 0.85 },
        data: nodes, links: graph.links
      }]
    }, true);
    document.getElementById('caption').textContent = caption;
    // what the tests read: the widths as drawn
    document.body.dataset.state = 'drawn';
    document.body.dataset.edges = String(graph.links.length);
    document.body.dataset.widths = JSON.stringify(graph.links.map(l => Math.round(l.lineStyle.width * 100) / 100));
  }

  function node(graph, id, props) {
    const key = String(id);
    if (!graph.nodes.has(key)) {
      graph.nodes.set(key, Object.assign({ name: key, id: key, symbolSize: 18, props: {} }, props || {}));
    }
    return graph.nodes.get(key);
  }

  const views = {
    async explanation(user, model) {
      const rows = await cypher('CALL lastfm.explain.stream($u, $c) YIELD edges, predictedRegion, probability, method, '
        + 'modelName RETURN edges, predictedRegion, probability, method, modelName', { u: user, c: model ? { modelName: model } : {} });
      const r = rows[0];
      const graph = { nodes: new Map(), links: [] };
      node(graph, user, { symbolSize: 30, itemStyle: { color: '#f28e2b' }, props: { predictedRegion: r.predictedRegion, probability: r.probability } });
      const max = Math.max(...r.edges.map(e => Math.abs(e.importance)), 0);
      for (const e of r.edges) {
        node(graph, e.source);
        node(graph, e.target);
        graph.links.push({ source: String(e.source), target: String(e.target), value: e.importance,
          label: e.source + ' -> ' + e.target + ': importance ' + e.importance.toFixed(4),
          lineStyle: { width: widthOf(e.importance, max), color: '#d9534f' } });
      }
      return [graph, 'The ' + r.edges.length + ' most important message edges of ' + user + "'s prediction (region "
        + r.predictedRegion + ', p ' + r.probability.toFixed(3) + '; ' + r.method + ', ' + r.modelName
        + '). Width: importance; arrow: the direction the message flows.'];
    },
    async attention(user) {
      const rows = await cypher('MATCH (u:User {id: $u})-[r:FRIEND]-(v:User) WHERE r.attentionForward IS NOT NULL '
        + 'RETURN startNode(r).id AS a, endNode(r).id AS b, r.attentionForward AS forward, r.attentionBackward AS backward, '
        + 'v.id AS friend, v.predictedRegion AS region', { u: user });
      if (!rows.length) {
        throw new Error('No attention on ' + user + "'s friendships: train a GAT first, CALL lastfm.gnn.train({model: 'gat'})");
      }
      const graph = { nodes: new Map(), links: [] };
      node(graph, user, { symbolSize: 30, itemStyle: { color: '#f28e2b' } });
      const max = Math.max(...rows.flatMap(r => [r.forward, r.backward]));
      for (const r of rows) {
        node(graph, r.friend, { itemStyle: { color: palette[(r.region || 0) % palette.length] }, props: { predictedRegion: r.region } });
        graph.links.push({ source: String(r.a), target: String(r.b), lineStyle: { width: widthOf(r.forward, max), color: '#4e79a7' },
          label: r.a + ' -> ' + r.b + ': attention ' + r.forward.toFixed(4) });
        graph.links.push({ source: String(r.b), target: String(r.a), lineStyle: { width: widthOf(r.backward, max), color: '#59a14f' },
          label: r.b + ' -> ' + r.a + ': attention ' + r.backward.toFixed(4) });
      }
      return [graph, 'GAT attention around ' + user + ': each friendship drawn twice, one arrow per direction, width = the '
        + "receiver's attention on that message (first layer, mean over heads)."];
    },
    async regions(user) {
      const rows = await cypher('MATCH (u:User {id: $u})-[:FRIEND]-(v:User) WITH u, collect(v) + u AS people '
        + 'UNWIND people AS a MATCH (a)-[:FRIEND]-(b) WHERE b IN people AND a.id < b.id '
        + 'RETURN a.id AS a, b.id AS b, a.region AS ra, a.predictedRegion AS pa, b.region AS rb, b.predictedRegion AS pb', { u: user });
      const graph = { nodes: new Map(), links: [] };
      const style = (region, predicted) => ({
        itemStyle: { color: palette[(predicted || 0) % palette.length], borderColor: region !== predicted ? '#b00020' : '#fff',
          borderWidth: region !== predicted ? 4 : 1 },
        props: { region, predictedRegion: predicted, wrong: region !== predicted }
      });
      for (const r of rows) {
        node(graph, r.a, style(r.ra, r.pa));
        node(graph, r.b, style(r.rb, r.pb));
        graph.links.push({ source: String(r.a), target: String(r.b), lineStyle: { width: 1, color: '#aaa' }, label: r.a + ' - ' + r.b });
      }
      const wrong = [...graph.nodes.values()].filter(n => n.props.wrong).length;
      return [graph, user + ' and its friends, coloured by predicted region; a red ring marks a wrong prediction ('
        + wrong + ' of ' + graph.nodes.size + ').'];
    },
    async recommendations(user, model) {
      const artists = await cypher('MATCH (:User {id: $u})-[r:RECOMMENDED]->(a:Artist) RETURN a.id AS artist, r.rank AS rank, '
        + 'r.score AS score, r.model AS model ORDER BY r.rank LIMIT 10', { u: user });
      const friends = await cypher('CALL lastfm.recommend.friends.stream($u, {k: 10}) YIELD userId, score, rank '
        + 'RETURN userId, score, rank', { u: user });
      const graph = { nodes: new Map(), links: [] };
      node(graph, user, { symbolSize: 30, itemStyle: { color: '#f28e2b' } });
      const maxA = Math.max(...artists.map(a => a.score), 0);
      for (const a of artists) {
        node(graph, 'artist ' + a.artist, { symbol: 'rect', itemStyle: { color: '#e15759' }, props: a });
        graph.links.push({ source: String(user), target: 'artist ' + a.artist, lineStyle: { width: widthOf(a.score, maxA), color: '#e15759' },
          label: 'recommended artist ' + a.artist + ' (rank ' + a.rank + ', score ' + a.score.toFixed(3) + ')' });
      }
      const maxF = Math.max(...friends.map(f => f.score), 0);
      for (const f of friends) {
        node(graph, f.userId, { itemStyle: { color: '#59a14f' }, props: f });
        graph.links.push({ source: String(user), target: String(f.userId), lineStyle: { width: widthOf(f.score, maxF), color: '#59a14f' },
          label: 'suggested friend ' + f.userId + ' (rank ' + f.rank + ', score ' + f.score.toFixed(3) + ')' });
      }
      return [graph, 'Red squares: the artists recommended to ' + user + ' (' + (artists.length ? 'model ' + artists[0].model
        : 'none yet: train with task artists') + '); green: suggested friends. Width: score.'];
    }
  };

  async function show() {
    const user = parseInt(document.getElementById('userId').value, 10);
    const view = document.getElementById('view').value;
    const model = document.getElementById('model').value.trim();
    document.body.dataset.state = 'loading';
    try {
      const [graph, caption] = await views[view](user, model);
      draw(graph, caption);
      document.getElementById('error').textContent = '';
    } catch (e) {
      document.getElementById('error').textContent = e.message;
      document.body.dataset.state = 'error';
    }
  }

  chart.on('click', p => {
    document.getElementById('details').textContent = p.dataType === 'edge' ? p.data.label
      : JSON.stringify(Object.assign({ id: p.data.name }, p.data.props), null, 2);
  });

  document.getElementById('login').addEventListener('submit', async ev => {
    ev.preventDefault();
    state.auth = 'Basic ' + btoa(document.getElementById('user').value + ':' + document.getElementById('password').value);
    try {
      await cypher('RETURN 1 AS ok');
      document.getElementById('login').hidden = true;
      document.getElementById('controls').hidden = false;
      document.getElementById('error').textContent = '';
      document.body.dataset.state = 'ready';
      const params = new URLSearchParams(location.search);
      if (params.get('user')) {
        document.getElementById('userId').value = params.get('user');
      }
      if (params.get('view')) {
        document.getElementById('view').value = params.get('view');
      }
      await show();
    } catch (e) {
      state.auth = null;
      document.getElementById('error').textContent = e.message;
      document.body.dataset.state = 'error';
    }
  });
  document.getElementById('controls').addEventListener('submit', ev => { ev.preventDefault(); show(); });
})();
