// The training report's extra styles and its browser script (plain ES2017, run by the page, not by Node). The
// script reads the JSON in #kiln-data and draws each chart whose canvas is on the page with Chart.js; it sets
// window.kilnReport = { charts, ready } when done, as the data profile's page does.

export const TRAIN_STYLE = `
.metrics td.n,.board td.n{font-variant-numeric:tabular-nums}
.board tr.final td{font-weight:600;background:#eef6ee}.board tr.baseline td{color:#5b6570;font-style:italic}
.board tr.stopped td{color:#8a939c}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:12px}
.grid .card .chart{height:300px}
.cm td{text-align:right;min-width:48px}.cm th{font-weight:500}
.pill{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#e8edf3}
`;

export const TRAIN_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('kiln-data').textContent);
  var charts = [];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) charts.push(new Chart(canvas, config));
  }
  function xy(xs, ys) { return xs.map(function (x, i) { return { x: x, y: ys[i] }; }); }
  function line(label, points, color, dashed) {
    return { label: label, data: points, showLine: true, pointRadius: 0, borderWidth: 2, borderColor: color, backgroundColor: color, borderDash: dashed ? [5, 5] : [] };
  }
  var diagonal = [{ x: 0, y: 0 }, { x: 1, y: 1 }];
  var unit = { x: { type: 'linear', min: 0, max: 1 }, y: { type: 'linear', min: 0, max: 1 } };
  var ranked = data.board.filter(function (r) { return r.kind !== 'baseline'; });
  var scores = ranked.map(function (r) { return r.cv; });
  var low = Math.min.apply(null, scores), high = Math.max.apply(null, scores);
  var pad = Math.max((high - low) * 0.15, Math.abs(high) * 0.002, 1e-6);
  draw('board', {
    type: 'bar',
    data: { labels: ranked.map(function (r) { return r.name; }), datasets: [{ data: ranked.map(function (r) { return r.cv; }), backgroundColor: ranked.map(function (r) { return r.kind === 'final' ? '#5b9a68' : r.kind === 'baseline' ? '#b9c0c8' : '#4f7cac'; }) }] },
    // the axis spans the candidates' scores, not zero to one, so that close scores can be told apart
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { min: low - pad, max: high + pad, title: { display: true, text: data.metric + ' (cross-validation; the table has the baseline)' } } } }
  });
  if (data.roc) draw('roc', { type: 'scatter', data: { datasets: [line('model', xy(data.roc.fpr, data.roc.tpr), '#4f7cac'), line('chance', diagonal, '#b9c0c8', true)] },
    options: { scales: { x: { min: 0, max: 1, title: { display: true, text: 'false positive rate' } }, y: { min: 0, max: 1, title: { display: true, text: 'true positive rate' } } } } });
  if (data.pr) draw('pr', { type: 'scatter', data: { datasets: [line('model', xy(data.pr.recall, data.pr.precision), '#c46a5b')] },
    options: { scales: { x: { min: 0, max: 1, title: { display: true, text: 'recall' } }, y: { min: 0, max: 1, title: { display: true, text: 'precision' } } } } });
  if (data.residuals) {
    var r = data.residuals;
    draw('actual', { type: 'scatter', data: { datasets: [{ label: 'rows', data: xy(r.predicted, r.actual), pointRadius: 2, backgroundColor: 'rgba(79,124,172,0.45)' }] },
      options: { plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'predicted' } }, y: { title: { display: true, text: 'actual' } } } } });
    draw('residuals', { type: 'scatter', data: { datasets: [{ label: 'rows', data: r.predicted.map(function (p, i) { return { x: p, y: r.actual[i] - p }; }), pointRadius: 2, backgroundColor: 'rgba(196,106,91,0.45)' }] },
      options: { plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'predicted' } }, y: { title: { display: true, text: 'actual − predicted' } } } } });
  }
  var top = data.importance.slice(0, 25);
  draw('importance', { type: 'bar', data: { labels: top.map(function (f) { return f.column; }), datasets: [{ data: top.map(function (f) { return f.drop; }), backgroundColor: '#5b9a68' }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: data.metric + ' lost when the column is shuffled' } } } } });
  if (data.calibration) {
    var c = data.calibration;
    var points = xy(c.predicted, c.observed).filter(function (p) { return p.x === p.x && p.y === p.y; });
    draw('calibration', { type: 'scatter', data: { datasets: [line('model', points, '#4f7cac'), line('perfect', diagonal, '#b9c0c8', true)] },
      options: { scales: { x: { min: 0, max: 1, title: { display: true, text: 'predicted ' + c.label } }, y: { min: 0, max: 1, title: { display: true, text: 'observed' } } } } });
  }
  window.kilnReport = { charts: charts.length, ready: true };
})();
`;
