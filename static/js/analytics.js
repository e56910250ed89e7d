/* Anju dashboards: the period picker, the monthly trend, the community map (drawn from coordinates on a plain
   cartesian grid, no online tiles) and a community's weekly series. ECharts comes from node_modules. */
(function () {
  'use strict';
  const COS_LAT = Math.cos(31.25 * Math.PI / 180); // Shanghai: 1° of longitude is this many degrees of latitude
  const charts = [];
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));

  function init(el, theme) {
    if (!el || !window.echarts) return null;
    const chart = echarts.init(el, theme || null, {renderer: 'canvas'});
    charts.push(chart);
    return chart;
  }

  function picker(form) {
    if (!form) return;
    const kind = form.querySelector('[name=kind]');
    const show = () => form.querySelectorAll('[data-kind]').forEach(el => {
      const on = el.dataset.kind === kind.value;
      el.hidden = !on;
      el.querySelectorAll('input, select').forEach(i => { i.disabled = !on; });
    });
    kind.addEventListener('change', show);
    show();
  }

  const fmt = v => (v === null || v === undefined || Number.isNaN(v)) ? '—' : v;

  function trend(el, rows, labels, opts) {
    const chart = init(el, opts && opts.theme);
    if (!chart) return null;
    const dark = opts && opts.theme === 'dark';
    const fs = dark ? 16 : 12;
    const withRate = !!labels.onTime && rows.length > 0 && rows[0].on_time_rate !== undefined;
    const option = rows => ({
      backgroundColor: 'transparent',
      textStyle: dark ? {fontSize: 18} : {},
      tooltip: {trigger: 'axis', valueFormatter: fmt},
      legend: {top: 0, textStyle: dark ? {fontSize: 18, color: '#dde'} : {}},
      grid: {left: 48, right: withRate ? 96 : 56, top: dark ? 56 : 44, bottom: 28},
      xAxis: {type: 'category', data: rows.map(r => r.month), axisLabel: {hideOverlap: true, fontSize: fs}},
      yAxis: [{type: 'value', name: labels.complaintsAxis || '', minInterval: 1, axisLabel: {fontSize: fs}},
              {type: 'value', position: 'right', splitLine: {show: false}, axisLabel: {fontSize: fs, color: '#d63384'},
               axisLine: {show: true, lineStyle: {color: '#d63384'}}},
              {type: 'value', position: 'right', offset: 44, min: 0, max: 100, show: withRate,
               splitLine: {show: false}, axisLabel: {fontSize: fs, color: '#198754', formatter: '{value}%'},
               axisLine: {show: true, lineStyle: {color: '#198754'}}}],
      series: [
        {name: labels.complaints, type: 'bar', data: rows.map(r => r.complaints), itemStyle: {color: '#7aa6d6'}},
        {name: labels.per10k, type: 'line', yAxisIndex: 1, data: rows.map(r => r.per_10k), symbolSize: 7,
         lineStyle: {width: 3}, itemStyle: {color: '#d63384'}, connectNulls: false},
      ].concat(withRate ? [
        {name: labels.onTime, type: 'line', yAxisIndex: 2, data: rows.map(r => r.on_time_rate), symbolSize: 5,
         lineStyle: {type: 'dashed'}, itemStyle: {color: '#198754'}, connectNulls: false}] : []),
    });
    chart.setOption(option(rows), true);
    chart.update = newRows => chart.setOption(option(newRows), true);
    return chart;
  }

  /* Points {id, name, street, lng, lat, per_10k, complaints, url}: a scatter on lng/lat kept to scale. */
  function map(el, points, labels, opts) {
    const chart = init(el, opts && opts.theme);
    if (!chart) return null;
    const dark = opts && opts.theme === 'dark';
    function option(pts) {
      const lngs = pts.map(p => p.lng), lats = pts.map(p => p.lat);
      const x0 = Math.min(...lngs), x1 = Math.max(...lngs), y0 = Math.min(...lats), y1 = Math.max(...lats);
      const padX = (x1 - x0) * 0.04 || 0.005, padY = (y1 - y0) * 0.04 || 0.005;
      const spanX = (x1 - x0 + 2 * padX) * COS_LAT, spanY = y1 - y0 + 2 * padY;
      const w = el.clientWidth - 90, h = el.clientHeight - 20;  // room for the colour scale on the right
      const scale = Math.min(w / spanX, h / spanY);
      const gw = spanX * scale, gh = spanY * scale;
      const values = pts.map(p => p.per_10k).filter(v => v !== null && v !== undefined);
      const sorted = values.slice().sort((a, b) => a - b);
      const top = sorted.length ? sorted[Math.floor(0.95 * (sorted.length - 1))] : 1;  // outliers do not wash out
      // street names at the centre of their communities
      const streets = {};
      pts.forEach(p => { const s = streets[p.street] = streets[p.street] || {x: 0, y: 0, n: 0}; s.x += p.lng; s.y += p.lat; s.n++; });
      const names = Object.entries(streets).map(([name, s]) => ({name, value: [s.x / s.n, s.y / s.n]}));
      return {
        backgroundColor: 'transparent',
        grid: {left: (el.clientWidth - 90 - gw) / 2 + 10, top: (el.clientHeight - gh) / 2, width: gw, height: gh},
        xAxis: {type: 'value', min: x0 - padX, max: x1 + padX, show: false},
        yAxis: {type: 'value', min: y0 - padY, max: y1 + padY, show: false},
        tooltip: {trigger: 'item', formatter: p => p.seriesIndex > 1 ? p.name :
          `<b>${p.data.name}</b>${p.seriesIndex === 1 ? ' 🔥 ' + (labels.hotspot || '') : ''}<br>${p.data.street}` +
          `<br>${labels.per10k}: ${fmt(p.data.value[2] < 0 ? null : p.data.value[2])}` +
          `<br>${labels.complaints}: ${p.data.complaints}`},
        visualMap: {type: 'continuous', min: 0, max: Math.max(top, 1), dimension: 2, seriesIndex: 0, calculable: true,
                    right: 0, bottom: 10, itemHeight: dark ? 200 : 120, precision: 1,
                    text: [labels.per10k, ''], textStyle: {color: dark ? '#dde' : '#333', fontSize: dark ? 16 : 12},
                    inRange: {color: ['#2c7bb6', '#abd9e9', '#ffffbf', '#fdae61', '#d7191c']},
                    outOfRange: {color: '#999'}},
        series: [
          {type: 'scatter', symbolSize: dark ? 13 : 10, cursor: 'pointer',
           itemStyle: {borderColor: dark ? '#111' : '#fff', borderWidth: 0.6, opacity: 0.95},
           emphasis: {scale: 1.8},
           data: pts.map(p => ({name: p.name, street: p.street, complaints: p.complaints, url: p.url,
                                value: [p.lng, p.lat, p.per_10k === null ? -1 : p.per_10k]}))},
          {type: 'effectScatter', symbolSize: dark ? 20 : 14, z: 4, cursor: 'pointer',
           rippleEffect: {brushType: 'stroke', scale: 3.5}, itemStyle: {color: '#ff2d55'},
           data: pts.filter(p => p.alert).map(p => ({name: p.name, street: p.street, complaints: p.complaints,
                                                    url: p.url, value: [p.lng, p.lat, p.per_10k]}))},
          {type: 'scatter', symbolSize: 0, silent: true, data: names, z: 5,
           label: {show: true, formatter: '{b}', fontSize: dark ? 18 : 12, fontWeight: 'bold',
                   color: dark ? 'rgba(255,255,255,.75)' : 'rgba(30,40,60,.7)',
                   textBorderColor: dark ? '#000' : '#fff', textBorderWidth: 3}},
        ],
      };
    }
    chart.on('click', p => { if (p.seriesIndex <= 1 && p.data && p.data.url) window.location.href = p.data.url; });
    const draw = pts => { if (pts && pts.length) chart.setOption(option(pts), true); };
    draw(points);
    window.addEventListener('resize', () => draw(chart._anjuPoints || points));
    chart.update = pts => { chart._anjuPoints = pts; draw(pts); };
    return chart;
  }

  function weekly(el, rows, labels) {
    const chart = init(el);
    if (!chart) return null;
    chart.setOption({
      tooltip: {trigger: 'axis', valueFormatter: fmt},
      legend: {top: 0},
      grid: {left: 36, right: 16, top: 36, bottom: 28},
      xAxis: {type: 'category', data: rows.map(r => r.end), axisLabel: {hideOverlap: true}},
      yAxis: {type: 'value', minInterval: 1},
      series: [
        {name: labels.count, type: 'bar', data: rows.map(r => ({value: r.count,
          itemStyle: {color: r.alert ? '#d7191c' : '#7aa6d6'}}))},
        {name: labels.mean, type: 'line', data: rows.map(r => r.mean), showSymbol: false, itemStyle: {color: '#6c757d'}},
        {name: labels.threshold, type: 'line', step: 'middle', data: rows.map(r => r.threshold), showSymbol: false,
         lineStyle: {type: 'dashed'}, itemStyle: {color: '#d63384'}},
      ],
    });
    return chart;
  }

  window.AnjuAnalytics = {picker, trend, map, weekly, init};
})();
