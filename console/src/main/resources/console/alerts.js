// The live alert feed: newest first, filtered by severity, rule, street and status; new alerts arrive
// from the live stream without a reload. An alert's detail shows its evidence, rule version, first and
// last seen, and its work order.
import { api, query } from './api.js';
import { h, fill, chip, fields } from './dom.js';
import { t, name } from './i18n.js';
import { time } from './format.js';
import { allGrids } from './map.js';
import { openDialog, dialogOpen } from './dialog.js';
import { showOrder } from './orders.js';

const alerts = new Map(); // alertId -> alert
const filter = { severity: '', ruleId: '', street: '', status: '' };
let panel;
let list;
let liveNote;
let unseen = 0;
let visible = false;

export function initAlerts(el) {
  panel = el;
  build();
  document.addEventListener('gf:alert', (e) => arrive(e.detail));
  document.addEventListener('gf:resync', load);
  document.addEventListener('gf:language', () => { build(); render(); });
  document.addEventListener('gf:live', (e) => { if (liveNote) liveNote.textContent = e.detail ? t('alerts.live') : t('alerts.reconnecting'); });
  document.addEventListener('gf:tab', (e) => {
    visible = e.detail === 'alerts';
    if (visible) setUnseen(0);
  });
  return load();
}

function select(key, label, options) {
  const id = 'alert-filter-' + key;
  const sel = h('select', { id, onchange: () => { filter[key] = sel.value; load(); } },
    h('option', { value: '' }, t('alerts.any')),
    options.map(([v, l]) => h('option', { value: v, selected: filter[key] === v }, l)));
  return [h('label', { for: id }, label), sel];
}

function build() {
  const streets = [...new Map(allGrids().filter((g) => g.street).map((g) => [g.street, g.streetName || g.street])).entries()].sort();
  const rules = ['FIRE_CONFIRMED', 'FIRE_SUSPECTED', 'GAS_LEAK', 'WATERLOGGING', 'MANHOLE_DISPLACED', 'CROWD_GATHERING',
    'ELDERLY_INACTIVE', 'NIGHT_NOISE', 'STREET_VENDING', 'FALL_DETECTED', 'WORKORDER_OVERDUE', 'DEVICE_OFFLINE'];
  list = h('ul', { class: 'feed', id: 'alert-feed', 'aria-live': 'polite' });
  liveNote = h('p', { class: 'muted', id: 'alerts-live' }, t('alerts.live'));
  fill(panel,
    h('div', { class: 'toolbar' },
      select('severity', t('alerts.severity'), ['URGENT', 'IMPORTANT', 'GENERAL'].map((s) => [s, t('severity.' + s)])),
      select('ruleId', t('alerts.rule'), rules.map((r) => [r, name('rule', r)])),
      select('street', t('alerts.street'), streets),
      select('status', t('alerts.status'), ['OPEN', 'CLOSED'].map((s) => [s, t('status.' + s)]))),
    liveNote,
    list);
}

async function load() {
  try {
    const r = await api('/v1/alerts' + query({ ...filter, size: 200 }));
    alerts.clear();
    for (const a of r.alerts || []) alerts.set(a.alertId, a);
    render();
  } catch (e) {
    fill(list, h('li', { class: 'empty' }, t('error', { d: e.message })));
  }
}

function matches(a) {
  return (!filter.severity || a.severity === filter.severity) &&
    (!filter.ruleId || a.ruleId === filter.ruleId) &&
    (!filter.street || a.street === filter.street) &&
    (!filter.status || a.status === filter.status);
}

function item(a, fresh) {
  const g = allGrids().find((x) => x.gridId === a.gridId);
  return h('li', {}, h('button', {
    type: 'button',
    class: 'alert-item' + (fresh ? ' new' : ''),
    dataset: { alert: a.alertId, severity: a.severity, status: a.status, rule: a.ruleId, grid: a.gridId },
    onclick: () => showAlert(a.alertId),
  },
  chip('', a.severity, t('severity.' + a.severity)),
  h('span', { class: 'title' }, name('rule', a.ruleId) + ' · ' + (g?.name || a.gridId)),
  h('span', { class: 'muted' }, time(a.lastSeen)),
  h('span', { class: 'meta' }, [t('status.' + a.status), t('alerts.count', { n: a.count }), g?.streetName || a.street, g?.communityName || a.community].filter(Boolean).join(' · '))));
}

function render(freshId) {
  const shown = [...alerts.values()].filter(matches)
    .sort((a, b) => (b.lastSeen || '').localeCompare(a.lastSeen || '') || (b.firstSeen || '').localeCompare(a.firstSeen || ''));
  fill(list, shown.length ? shown.map((a) => item(a, a.alertId === freshId)) : h('li', { class: 'empty' }, t('alerts.none')));
}

function arrive(a) {
  const isNew = !alerts.has(a.alertId);
  alerts.set(a.alertId, a);
  if (!matches(a)) return;
  render(a.alertId);
  if (isNew) {
    if (!visible) setUnseen(unseen + 1);
    if (a.severity !== 'GENERAL') toast(a);
  }
}

function setUnseen(n) {
  unseen = n;
  const b = document.getElementById('alerts-unseen');
  b.textContent = String(n);
  b.hidden = n === 0;
}

function toast(a) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: 'toast', dataset: { severity: a.severity } },
    t('alerts.new', { x: name('rule', a.ruleId) }) + ' · ' + (allGrids().find((g) => g.gridId === a.gridId)?.name || a.gridId));
  box.append(el);
  setTimeout(() => el.remove(), 6000);
}

let detailTimer = null;

/**
 * The detail of one alert: its fields, evidence records, the other alerts of its incident and its
 * work order. An alert just raised may
 * reach the page before its evidence and its work order are searchable: the detail looks again
 * for a while until they are.
 */
export async function showAlert(alertId, attempt = 0) {
  clearTimeout(detailTimer);
  let a;
  try {
    a = await api('/v1/alerts/' + encodeURIComponent(alertId));
  } catch (e) {
    if (e.status === 404 && attempt < 20) {
      detailTimer = setTimeout(() => showAlert(alertId, attempt + 1), 1000);
      return;
    }
    openDialog(t('alerts.detail'), h('p', {}, t('error', { d: e.message })));
    return;
  }
  const incomplete = (a.evidenceRecords || []).length < (a.evidence || []).length ||
    (!a.workOrder && a.severity !== 'GENERAL' && a.ruleId !== 'WORKORDER_OVERDUE' && a.status === 'OPEN');
  if (incomplete && attempt < 20) {
    detailTimer = setTimeout(() => {
      if (dialogOpen() && document.getElementById('dialog').dataset.alert === alertId) showAlert(alertId, attempt + 1);
    }, 1500);
  }
  const g = allGrids().find((x) => x.gridId === a.gridId);
  const evidence = (a.evidenceRecords || []).map((r) => h('tr', {},
    h('td', {}, time(r.ts)), h('td', {}, t('source.' + r.source)), h('td', {}, name('type', r.type)),
    h('td', { class: 'num' }, r.value ?? r.confidence ?? ''), h('td', { class: 'mono' }, r.deviceId || r.subjectRef || ''),
    h('td', { class: 'mono' }, r.recordId)));
  const o = a.workOrder;
  // the other alerts of its incident (alerts of other rules in the grid, minutes apart)
  const siblings = (a.incidentAlerts || []).map((s) => h('li', { dataset: { alert: s.alertId } },
    chip('', s.severity, t('severity.' + s.severity)), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => showAlert(s.alertId) }, name('rule', s.ruleId)),
    ' · ', time(s.firstSeen), ' · ', t('status.' + s.status)));
  document.getElementById('dialog').dataset.alert = alertId;
  openDialog(t('alerts.detail') + ' · ' + name('rule', a.ruleId), [
    fields([
      [t('field.rule'), `${name('rule', a.ruleId)} (${a.ruleId})`],
      [t('field.severity'), chip('', a.severity, t('severity.' + a.severity))],
      [t('field.status'), t('status.' + a.status)],
      [t('field.grid'), `${g?.name || a.gridId} (${a.gridId})`],
      [t('field.street'), g?.streetName || a.street],
      [t('field.community'), g?.communityName || a.community],
      [t('field.firstSeen'), time(a.firstSeen)],
      [t('field.lastSeen'), time(a.lastSeen)],
      [t('field.count'), a.count],
      [t('field.ruleVersion'), h('span', { class: 'mono' }, a.ruleVersion)],
      [t('field.subject'), a.subjectRef ? h('span', { class: 'mono' }, a.subjectRef) : null],
      [t('field.alertId'), h('span', { class: 'mono' }, a.alertId)],
      [t('field.incidentId'), a.incidentId ? h('span', { class: 'mono', id: 'alert-incident' }, a.incidentId) : null],
    ]),
    h('p', {}, a.title),
    h('h3', {}, t('alerts.evidence')),
    evidence.length
      ? h('table', {}, h('thead', {}, h('tr', {}, ['field.time', 'field.source', 'field.type', 'field.value', 'field.device', 'field.record'].map((k) => h('th', {}, t(k))))), h('tbody', {}, evidence))
      : h('p', { class: 'muted' }, t('alerts.noEvidence')),
    h('h3', {}, t('alerts.incident')),
    siblings.length
      ? h('ul', { id: 'alert-siblings' }, siblings)
      : h('p', { class: 'muted' }, t('alerts.noIncidentAlerts')),
    h('h3', {}, t('alerts.workOrder')),
    o
      ? h('p', {}, chip('status', o.status, t('ostatus.' + o.status)), ' ', h('span', { class: 'mono' }, o.orderId), ' ',
        h('button', { type: 'button', id: 'alert-open-order', onclick: () => showOrder(o.orderId) }, t('alerts.openOrder')))
      : h('p', { class: 'muted' }, t('alerts.noWorkOrder')),
  ]);
}
