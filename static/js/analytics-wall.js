/* The duty room's wall (大屏): fetches its JSON every 60 s and redraws the figures, the map and the trend
   without reloading the page. */
(function () {
  'use strict';
  const REFRESH_MS = 60 * 1000;
  const script = document.currentScript;
  const L = JSON.parse(script.dataset.labels);
  const url = document.body.dataset.url;
  const $ = id => document.getElementById(id);
  const dash = v => (v === null || v === undefined || Number.isNaN(v)) ? '—' : v;
  const pct = v => (v === null || v === undefined) ? '—' : `${Number(v).toFixed(1)}%`;
  let map = null, trend = null;

  function text(id, value) { const el = $(id); if (el) el.textContent = value; }

  function list(id, rows, render) {
    const ol = $(id);
    ol.replaceChildren();
    if (!rows.length) { const li = document.createElement('li'); li.textContent = L.none; ol.append(li); return; }
    rows.forEach(r => ol.append(render(r)));
  }

  function item(name, value, href) {
    const li = document.createElement('li');
    const left = document.createElement(href ? 'a' : 'span');
    if (href) left.href = href;
    left.textContent = name;
    const right = document.createElement('span');
    right.className = 'n';
    right.textContent = value;
    li.append(left, right);
    return li;
  }

  function draw(d) {
    text('w-intake', dash(d.intake_today));
    text('w-overdue-complaints', dash(d.overdue_complaints));
    text('w-overdue-cases', dash(d.overdue_cases));
    text('w-period', d.period);
    text('w-per10k', d.per_10k === null ? '—' : Number(d.per_10k).toFixed(2));
    const change = $('w-change');
    change.replaceChildren();
    if (d.change_pct !== null) {
      const s = document.createElement('span');
      s.className = d.change_pct < 0 ? 'down' : 'up';
      s.textContent = `${d.change_pct < 0 ? '▼' : '▲'} ${Math.abs(d.change_pct).toFixed(1)}%`;
      change.append(s, ` ${L.baseline} ${d.baseline} ${dash(d.per_10k_baseline)}`);
    }
    text('w-closing', pct(d.closing_rate && d.closing_rate.value));
    text('w-closing-sub', d.closing_rate ? `${dash(d.closing_rate.numerator)} / ${dash(d.closing_rate.denominator)}` : '');
    text('w-ontime', pct(d.on_time_rate && d.on_time_rate.value));
    text('w-ontime-sub', d.on_time_rate ? `${dash(d.on_time_rate.numerator)} / ${dash(d.on_time_rate.denominator)}` : '');
    text('w-types-period', d.period);
    list('w-alerts', d.alerts, a => item(`${a.community} · ${a.street}`, `${a.count} ${L.count} (${L.mean} ${a.mean})`, a.url));
    list('w-types', d.types, t => item(t.name, `${t.count} ${L.count}`));
    if (!map) map = AnjuAnalytics.map($('w-map'), d.points, L, {theme: 'dark'});
    else map.update(d.points);
    if (!trend) trend = AnjuAnalytics.trend($('w-trend'), d.trend, {complaints: L.trendBars, per10k: L.per10k}, {theme: 'dark'});
    else trend.update(d.trend);
    text('w-updated', `${L.updated} ${d.generated_at}`);
  }

  function refresh() {
    fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then(r => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(d => { $('w-error').hidden = true; draw(d); })
      .catch(() => { $('w-error').hidden = false; });
  }

  const full = $('w-fullscreen');
  if (full) full.addEventListener('click', () => {
    if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
  });

  function clock() { text('w-clock', new Date().toLocaleTimeString('zh-CN', {hour12: false})); }
  clock();
  setInterval(clock, 1000);
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
