// Pipeline health: every component's state, the last checkpoint, indexing, input rates per source
// and the dead letters of the last hour. The header's badge shows the summary on every tab.
import { api } from './api.js';
import { h, fill, chip } from './dom.js';
import { t } from './i18n.js';
import { time, duration, number } from './format.js';

let panel;
let last = null;
let visible = false;

export function initHealth(el) {
  panel = el;
  document.addEventListener('gf:tab', (e) => { visible = e.detail === 'health'; if (visible) poll(); });
  document.addEventListener('gf:language', () => { badge(); render(); });
  poll();
  setInterval(() => { if (visible || document.visibilityState === 'visible') poll(); }, 5000);
}

async function poll() {
  try {
    last = await api('/v1/health');
  } catch (e) {
    last = { error: e.message };
  }
  badge();
  if (visible) render();
}

function badge() {
  const b = document.getElementById('health-badge');
  const text = document.getElementById('health-text');
  if (!last || last.error) {
    b.dataset.state = 'UNKNOWN';
    text.textContent = last?.error ? t('error', { d: last.error }) : t('health.checking');
    return;
  }
  const bad = Object.values(last.components || {}).filter((c) => c.state !== 'UP').length;
  b.dataset.state = bad === 0 ? 'UP' : Object.values(last.components).some((c) => c.state === 'DOWN') ? 'DOWN' : 'DEGRADED';
  text.textContent = bad === 0 ? t('health.ok') : t('health.problem', { n: bad });
}

function ago(iso) {
  if (!iso) return t('health.unknown');
  return `${time(iso)} (${t('health.ago', { t: duration(Date.now() - Date.parse(iso)) })})`;
}

function counts(obj, label, prefix) {
  const entries = Object.entries(obj || {}).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return h('p', { class: 'muted' }, t('health.none'));
  return h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, label), h('th', { class: 'num' }, t('health.count')))),
    h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('td', { class: prefix ? '' : 'mono' }, prefix ? t(prefix + k) : k), h('td', { class: 'num' }, number(v, 0))))));
}

function render() {
  if (!panel) return;
  if (!last || last.error) {
    fill(panel, h('p', { class: 'empty' }, last?.error ? t('error', { d: last.error }) : t('health.checking')));
    return;
  }
  const inputs = last.inputsPerSecond || {};
  const letters = last.deadLettersLastHour || {};
  fill(panel,
    h('h3', {}, t('health.inputs')),
    h('div', { class: 'kpis' },
      ['camera', 'sensor', 'department'].map((k) => h('div', { class: 'kpi' },
        h('div', { class: 'v', id: 'rate-' + k }, number(inputs[k])), h('div', { class: 'k' }, t('source.' + k.toUpperCase())))),
      h('div', { class: 'kpi' }, h('div', { class: 'v', id: 'dead-letters' }, number(letters.total, 0)), h('div', { class: 'k' }, t('health.deadLetters'))),
      h('div', { class: 'kpi' }, h('div', { class: 'v' }, last.indexingLagRecords === null || last.indexingLagRecords === undefined ? '–' : number(last.indexingLagRecords, 0)), h('div', { class: 'k' }, t('health.lag')))),
    h('h3', {}, t('health.components')),
    h('table', { id: 'health-components' },
      h('thead', {}, h('tr', {}, h('th', {}, t('health.component')), h('th', {}, t('health.state')), h('th', {}, t('health.detail')))),
      h('tbody', {}, Object.entries(last.components || {}).map(([k, c]) => h('tr', { dataset: { component: k } },
        h('td', {}, t('component.' + k) === 'component.' + k ? k : t('component.' + k)),
        h('td', {}, chip('', c.state, t('state.' + c.state))),
        h('td', { class: 'muted' }, c.detail))))),
    h('h3', {}, t('health.checkpoint')), h('p', {}, ago(last.lastCheckpoint)),
    h('h3', {}, t('health.lastIndexed')), h('p', {}, ago(last.lastIndexedAt)),
    h('h3', {}, t('health.deadLetters') + ' · ' + t('health.byReason')), counts(letters.byReason, t('health.reason')),
    h('h3', {}, t('health.deadLetters') + ' · ' + t('health.bySource')), counts(letters.bySource, t('field.source'), 'dl.source.'));
}
