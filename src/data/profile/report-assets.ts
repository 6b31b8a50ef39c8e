// The report page's stylesheet and its browser script (plain ES2017, run by the page, not by Node).
// The script reads the JSON in #kiln-data and draws one bar chart per canvas with Chart.js.

export const REPORT_STYLE = `
body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#1d232b;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:28px 0 10px}h3{font-size:14px;margin:0 0 4px}
.summary{color:#333}.notes,.reason,.advice{color:#5b6570;font-size:13px}
.warnings{padding-left:18px}.warnings li{margin:0 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}
.type{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#e8edf3}
.type.number{background:#dcebfa}.type.category{background:#e4f4e1}.type.boolean{background:#fbefd5}
.type.datetime{background:#efe3f7}.type.text{background:#f7e1e1}.type.identifier{background:#e6e6e6}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:12px}
.chart{position:relative;height:180px}.chart.wide{height:260px;background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:8px}
footer{margin:32px 0 8px;color:#8a939c;font-size:12px}
`;

export const REPORT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('kiln-data').textContent);
  var charts = [];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  function bar(id, labels, values, color, horizontal, max) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [{ data: values, backgroundColor: color, borderWidth: 0 }] },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: { min: 0, max: max } } : { y: { beginAtZero: true, max: max }, x: { ticks: { autoSkip: true, maxRotation: 60 } } }
      }
    }));
  }
  data.columns.forEach(function (c, j) {
    var labels = c.histogram.labels.map(function (l) { return l.length > 24 ? l.slice(0, 23) + '\\u2026' : l; });
    bar('col-' + j, labels, c.histogram.counts, '#4f7cac');
  });
  // percent missing; the axis stops near the worst column so that a few gaps still show
  var shares = data.columns.map(function (c) { return Math.round(c.missingShare * 1000) / 10; });
  bar('missing', data.columns.map(function (c) { return c.name; }), shares, '#c46a5b', false,
      Math.min(100, Math.max(5, Math.ceil(Math.max.apply(null, shares.concat([0])) / 5) * 5)));
  if (data.power.length) {
    var measure = data.task === 'classification' ? 'AUC' : 'R\\u00b2';
    bar('power', data.power.map(function (p) { return p.name + ' (' + measure + ' ' + p.score.toFixed(2) + ')'; }),
        data.power.map(function (p) { return p.strength; }), '#5b9a68', true, 1);
  }
  window.kilnReport = { charts: charts.length, ready: true };
})();
`;
