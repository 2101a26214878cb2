// The grid panel: a grid's score and level, why (its factors), its last 24 h as a chart, its open
// alerts and its recent records. Reloads itself when a live event concerns the grid.
import { api, query } from './api.js';
import { h, fill, chip, fields } from './dom.js';
import { t, name, factorName } from './i18n.js';
import { time, number, hourMinute } from './format.js';
import { grid as mapGrid } from './map.js';
import { showAlert } from './alerts.js';

let panel;
let current = null;
let chart = null;
let reloadTimer = null;
let uPlotModule = null;
let catchUps = 0; // looks again while the stored level lags the live one, 20 at most

export function initGridPanel(el) {
  panel = el;
  empty();
  document.addEventListener('gf:select-grid', (e) => show(e.detail));
  const soon = (gridId) => {
    if (gridId !== current) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => show(current, true), 700);
  };
  document.addEventListener('gf:grid', (e) => soon(e.detail.gridId));
  document.addEventListener('gf:alert', (e) => soon(e.detail.gridId));
  document.addEventListener('gf:language', () => (current ? show(current, true) : empty()));
  window.addEventListener('resize', () => {
    if (chart) chart.setSize(chartSize());
  });
}

function empty() {
  fill(panel, h('p', { class: 'empty' }, t('map.noGrid')));
}

async function uPlot() {
  if (!uPlotModule) {
    const url = document.querySelector('meta[name="gf-uplot"]').content;
    uPlotModule = (await import(url)).default;
  }
  return uPlotModule;
}

function chartSize() {
  return { width: Math.max(280, panel.clientWidth - 30), height: 170 };
}

async function show(gridId, quiet = false) {
  if (gridId !== current || !quiet) catchUps = 0;
  current = gridId;
  if (!quiet) document.dispatchEvent(new CustomEvent('gf:show-tab', { detail: 'grid' }));
  let g, risk, records;
  try {
    [g, risk, records] = await Promise.all([
      api('/v1/grids/' + encodeURIComponent(gridId)),
      api('/v1/grids/' + encodeURIComponent(gridId) + '/risk?hours=24'),
      api('/v1/records' + query({ gridId, size: 10 })),
    ]);
  } catch (e) {
    if (current !== gridId) return;
    fill(panel, h('p', { class: 'empty' }, t('error', { d: e.message })));
    // a passing failure (Elasticsearch busy, a new index starting): try once more shortly
    clearTimeout(reloadTimer);
    if (!quiet) reloadTimer = setTimeout(() => show(gridId, true), 3000);
    return;
  }
  if (current !== gridId) return;
  const props = mapGrid(gridId) || {};
  // The map's level is live (Kafka); what is read here is stored (Elasticsearch), a moment later.
  // Until the stored level is the live one, look again shortly.
  clearTimeout(reloadTimer);
  if (props.level && props.level !== g.level && catchUps++ < 20) reloadTimer = setTimeout(() => show(gridId, true), 1500);
  const where = [props.streetName || g.street, props.communityName || g.community].filter(Boolean).join(' · ');
  const head = h('div', { class: 'grid-head' },
    h('div', {},
      h('h2', { id: 'grid-name' }, g.name || gridId),
      h('div', { class: 'where' }, `${gridId} · ${t('kind.' + (g.kind || 'BASIC'))}${where ? ' · ' + where : ''}`),
      g.households ? h('div', { class: 'where' }, t('grid.households', { h: number(g.households, 0), p: number(g.population, 0) })) : null),
    h('div', { class: 'score' },
      h('div', { class: 'value', id: 'grid-score' }, number(g.score)),
      chip('', g.level, t('level.' + g.level)),
      g.updatedAt ? h('div', { class: 'where' }, t('grid.updated', { t: time(g.updatedAt) })) : null));

  const factors = h('ul', { class: 'factors' });
  const max = Math.max(1, ...(g.factors || []).map((f) => f.contribution));
  for (const f of g.factors || []) {
    factors.append(h('li', { class: 'factor' },
      h('span', {}, factorName(f.name)),
      h('span', { class: 'bar' }, h('span', { style: `width: ${Math.round(100 * f.contribution / max)}%` })),
      h('span', { class: 'num' }, number(f.contribution))));
  }

  const chartBox = h('div', { class: 'chart', id: 'grid-chart' });
  const alerts = h('ul', { class: 'feed' });
  for (const a of g.openAlerts || []) {
    alerts.append(h('li', {}, h('button', { type: 'button', class: 'alert-item', dataset: { severity: a.severity, status: a.status }, onclick: () => showAlert(a.alertId) },
      chip('', a.severity, t('severity.' + a.severity)),
      h('span', { class: 'title' }, name('rule', a.ruleId)),
      h('span', { class: 'muted' }, time(a.lastSeen)),
      h('span', { class: 'meta' }, a.title))));
  }

  const rows = (records.records || []).map((r) => h('tr', {},
    h('td', {}, time(r.ts)), h('td', {}, t('source.' + r.source)), h('td', {}, name('type', r.type)),
    h('td', { class: 'num' }, r.value ?? ''), h('td', { class: 'mono' }, r.deviceId || r.subjectRef || '')));

  fill(panel,
    head,
    h('h3', {}, t('grid.factors')),
    (g.factors || []).length ? factors : h('p', { class: 'muted' }, t('grid.noFactors')),
    h('h3', {}, t('grid.chart')),
    chartBox,
    h('h3', {}, t('grid.openAlerts') + ` (${(g.openAlerts || []).length})`),
    (g.openAlerts || []).length ? alerts : h('p', { class: 'muted' }, t('grid.noAlerts')),
    h('h3', {}, t('grid.records')),
    rows.length
      ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('field.time')), h('th', {}, t('field.source')), h('th', {}, t('field.type')), h('th', { class: 'num' }, t('field.value')), h('th', {}, t('field.device')))), h('tbody', {}, rows))
      : h('p', { class: 'muted' }, t('grid.noRecords')));
  drawChart(chartBox, risk.points || []);
}

async function drawChart(box, points) {
  if (chart) { chart.destroy(); chart = null; }
  if (!points.length) {
    fill(box, h('p', { class: 'muted' }, t('grid.noChart')));
    return;
  }
  const U = await uPlot();
  const xs = points.map((p) => Date.parse(p.ts) / 1000);
  const ys = points.map((p) => p.score);
  // a flat line to now, so the chart ends at the present
  const now = Date.now() / 1000;
  if (xs[xs.length - 1] < now) { xs.push(now); ys.push(ys[ys.length - 1]); }
  chart = new U({
    ...chartSize(),
    legend: { show: false },
    scales: { x: { time: true, range: [now - 24 * 3600, now] }, y: { range: [0, 100] } },
    axes: [
      // hours in the district's zone, as every other time on the page
      { stroke: '#9fb1c3', grid: { stroke: '#2b3d50' }, space: 60, values: (u, splits) => splits.map((v) => hourMinute(new Date(v * 1000))) },
      { stroke: '#9fb1c3', grid: { stroke: '#2b3d50' }, splits: () => [0, 25, 50, 75, 100] },
    ],
    series: [{}, { label: t('grid.score'), stroke: '#4ea1ff', width: 2, fill: 'rgba(78,161,255,0.15)', paths: U.paths.stepped({ align: 1 }) }],
  }, [xs, ys], box);
}
