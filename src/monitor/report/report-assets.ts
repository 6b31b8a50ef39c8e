// The monitoring report's extra styles and its browser script (plain ES2017, run by the page, not by Node). The
// script reads the JSON in #kiln-data and draws, with Chart.js: reference vs current distributions per column,
// drift scores per window (distances and p-values on separate axes, each with its threshold), the share of
// drifted columns per window, performance per window against the training-time baseline (and the CBPE estimate),
// and the history of recorded checks. It sets window.kilnReport = { charts, ready } when done.

export const MONITOR_STYLE = `
.status{display:inline-block;min-width:44px;text-align:center;padding:1px 8px;border-radius:8px;font-weight:600;font-size:12px}
.status.pass{background:#e4f4e1;color:#1e6b2a}.status.fail{background:#f7e1e1;color:#9b2b1f}.status.skipped{background:#fbefd5;color:#7a5a12}
.checks td{vertical-align:top}.drift td.n{font-variant-numeric:tabular-nums}
tr.alerting td{background:#fbeeee;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:12px}
.grid .card .chart{height:260px}
`;

export const MONITOR_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('kiln-data').textContent);
  var charts = [];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var palette = ['#4f7cac', '#c46a5b', '#5b9a68', '#9a6fb0', '#d49a3a', '#3a9aa0', '#a0506e', '#6b7a3a'];
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) charts.push(new Chart(canvas, config));
  }
  function constant(label, value, n, color) {
    var values = [];
    for (var i = 0; i < n; i++) values.push(value);
    return { label: label, data: values, borderColor: color, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false };
  }
  data.distributions.forEach(function (d, j) {
    draw('dist-' + j, {
      type: 'bar',
      data: { labels: d.labels, datasets: [
        { label: 'reference', data: d.reference, backgroundColor: 'rgba(79,124,172,0.75)' },
        { label: 'current', data: d.current, backgroundColor: d.alerting ? 'rgba(196,106,91,0.8)' : 'rgba(91,154,104,0.75)' }
      ] },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'share of rows' } }, x: { ticks: { autoSkip: true, maxRotation: 60 } } } }
    });
  });
  var labels = data.windows.map(function (w) { return w.label; });
  function scoreChart(id, tests, title, logScale) {
    var picked = data.series.filter(function (s) { return tests.indexOf(s.test) >= 0; });
    if (!picked.length) return;
    // the columns that came closest to drifting, at most eight
    function worst(s) {
      var m = 0;
      s.scores.forEach(function (v) { if (v !== null) m = Math.max(m, logScale ? s.threshold / Math.max(v, 1e-300) : v / s.threshold); });
      return m;
    }
    picked.sort(function (a, b) { return worst(b) - worst(a); });
    picked = picked.slice(0, 8);
    var sets = picked.map(function (s, i) { return { label: s.column, data: s.scores, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], pointRadius: 3, fill: false }; });
    sets.push(constant('threshold', picked[0].threshold, labels.length, '#8a939c'));
    draw(id, { type: 'line', data: { labels: labels, datasets: sets },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { y: logScale ? { type: 'logarithmic', title: { display: true, text: title } } : { beginAtZero: true, title: { display: true, text: title } } } } });
  }
  scoreChart('scores-distance', ['wasserstein', 'jensen_shannon', 'psi'], 'distance (drift at or above the threshold)', false);
  scoreChart('scores-pvalue', ['ks', 'chi_square'], 'p-value (drift below the threshold)', true);
  draw('share', { type: 'line', data: { labels: labels, datasets: [
    { label: 'share of drifted columns', data: data.share, borderColor: '#c46a5b', backgroundColor: '#c46a5b', pointRadius: 3, fill: false },
    constant('dataset drift at', data.driftShare, labels.length, '#8a939c')
  ] }, options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { min: 0, max: 1 } } } });
  var perf = data.performance;
  if (perf.metrics.length) {
    var sets = [];
    perf.metrics.forEach(function (m, i) {
      var color = palette[i % palette.length];
      sets.push({ label: m.name, data: m.values, borderColor: color, backgroundColor: color, pointRadius: 3, fill: false, spanGaps: true });
      if (m.baseline !== null) sets.push(constant(m.name + ' at training', m.baseline, labels.length, color));
    });
    (perf.estimated || []).forEach(function (m, i) {
      sets.push({ label: m.name + ' estimated (CBPE)', data: m.values, borderColor: palette[(i + 4) % palette.length], borderDash: [2, 3], pointRadius: 2, fill: false });
    });
    draw('performance', { type: 'line', data: { labels: labels.map(function (l, i) { return l + ' (' + perf.labelled[i] + ' labelled)'; }), datasets: sets },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { x: { ticks: { autoSkip: true, maxRotation: 60 } } } } });
  }
  if (data.history.length > 1) {
    draw('history', { type: 'line', data: { labels: data.history.map(function (h) { return h.at.slice(0, 19).replace('T', ' '); }), datasets: [
      { label: 'share of drifted columns', data: data.history.map(function (h) { return h.share; }), borderColor: '#c46a5b', backgroundColor: data.history.map(function (h) { return h.status === 'alert' ? '#c46a5b' : '#5b9a68'; }), pointRadius: 4, fill: false }
    ] }, options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { min: 0, max: 1 } } } });
  }
  window.kilnReport = { charts: charts.length, ready: true };
})();
`;
