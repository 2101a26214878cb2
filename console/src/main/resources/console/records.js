// Record search for analysts: grid, type, source, time range and free text; a page at a time; the
// whole result as CSV.
import { api, query } from './api.js';
import { h, fill } from './dom.js';
import { t, name } from './i18n.js';
import { time, number } from './format.js';
import { allGrids } from './map.js';

const PAGE = 50;
const TYPES = ['FIRE_SMOKE', 'CROWD', 'INTRUSION', 'ILLEGAL_PARKING', 'STREET_VENDING', 'GARBAGE_OVERFLOW', 'FALL_DETECTED',
  'FIGHT', 'WATCHLIST_MATCH', 'SMOKE', 'GAS', 'WATER_LEVEL', 'MANHOLE_TILT', 'NOISE', 'DOOR', 'TEMPERATURE', 'PM25',
  'ELECTRIC_CURRENT', 'ELDERLY_LIVING_ALONE', 'HAZARDOUS_ENTERPRISE', 'DANGEROUS_BUILDING', 'COMMUNITY_CORRECTION',
  'LOW_INCOME_HOUSEHOLD', 'INCIDENT_REPORT', 'PETITION_FILED', 'DISPUTE_REPORTED', 'INSPECTION_FAILED', 'CASE_REPORTED'];

let panel;
let form;
let results;
let offset = 0;
let params = {};

export function initRecords(el) {
  panel = el;
  build();
  document.addEventListener('gf:language', () => { const keep = read(); build(); write(keep); search(false); });
}

function field(id, label, control) {
  control.id = id;
  return h('label', { for: id }, label, control);
}

function build() {
  const grids = allGrids().slice().sort((a, b) => (a.name || a.gridId).localeCompare(b.name || b.gridId));
  form = h('form', { class: 'search-form', id: 'records-form' },
    field('records-grid', t('records.grid'), h('select', {}, h('option', { value: '' }, t('alerts.any')),
      grids.map((g) => h('option', { value: g.gridId }, `${g.name || g.gridId} (${g.gridId})`)))),
    field('records-type', t('records.type'), h('select', {}, h('option', { value: '' }, t('alerts.any')),
      TYPES.map((x) => h('option', { value: x }, name('type', x))))),
    field('records-source', t('records.source'), h('select', {}, h('option', { value: '' }, t('alerts.any')),
      ['CAMERA', 'SENSOR', 'DEPARTMENT'].map((x) => h('option', { value: x }, t('source.' + x))))),
    field('records-from', t('records.from'), h('input', { type: 'datetime-local' })),
    field('records-to', t('records.to'), h('input', { type: 'datetime-local' })),
    field('records-q', t('records.q'), h('input', { type: 'search', placeholder: t('records.qHint') })),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary', id: 'records-search' }, t('records.search')),
      h('a', { id: 'records-csv', href: '#', download: 'gridfusion-records.csv', class: 'muted' }, t('records.csv'))));
  form.addEventListener('submit', (e) => { e.preventDefault(); search(true); });
  results = h('div', { id: 'records-results' }, h('p', { class: 'muted' }, t('records.intro')));
  fill(panel, form, results);
  updateCsv();
}

function read() {
  const v = (id) => document.getElementById(id)?.value || '';
  return { gridId: v('records-grid'), type: v('records-type'), source: v('records-source'), from: v('records-from'), to: v('records-to'), q: v('records-q') };
}

function write(values) {
  const set = (id, x) => { const el = document.getElementById(id); if (el) el.value = x || ''; };
  set('records-grid', values.gridId); set('records-type', values.type); set('records-source', values.source);
  set('records-from', values.from); set('records-to', values.to); set('records-q', values.q);
}

/** The form as API parameters: local date-times become instants with their offset. */
function apiParams() {
  const f = read();
  const instant = (v) => (v ? new Date(v).toISOString() : '');
  return { gridId: f.gridId, type: f.type, source: f.source, from: instant(f.from), to: instant(f.to), q: f.q };
}

function updateCsv() {
  const a = document.getElementById('records-csv');
  if (a) a.href = '/v1/records' + query({ ...apiParams(), format: 'csv' });
}

async function search(fromStart) {
  if (fromStart) offset = 0;
  if (fromStart || !Object.keys(params).length) params = apiParams();
  updateCsv();
  if (!results.dataset.searched && !fromStart) return;
  results.dataset.searched = '1';
  let r;
  try {
    r = await api('/v1/records' + query({ ...params, offset, size: PAGE }));
  } catch (e) {
    fill(results, h('p', { class: 'empty' }, t('error', { d: e.message })));
    return;
  }
  const rows = (r.records || []).map((x) => h('tr', { dataset: { record: x.recordId }, title: x.recordId },
    h('td', { class: 'nowrap' }, time(x.ts)), h('td', {}, t('source.' + x.source)), h('td', {}, name('type', x.type)),
    h('td', { class: 'nowrap' }, x.gridId), h('td', { class: 'mono' }, x.deviceId || ''), h('td', { class: 'num' }, x.value ?? ''),
    h('td', { class: 'mono' }, x.subjectRef ? x.subjectRef.slice(0, 12) + '…' : ''),
    h('td', { class: 'mono' }, Object.entries(x.attributes || {}).map(([k, v]) => `${k}=${v}`).join(' '))));
  const total = r.total || 0;
  fill(results,
    rows.length
      ? h('table', { id: 'records-table' },
        h('thead', {}, h('tr', {}, ['field.time', 'field.source', 'field.type', 'field.grid', 'field.device', 'field.value', 'field.subject', 'field.attributes']
          .map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rows))
      : h('p', { class: 'empty' }, t('records.none')),
    h('div', { class: 'pager' },
      h('button', { type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); search(false); } }, t('records.prev')),
      h('span', { id: 'records-total' }, t('records.total', { a: total ? offset + 1 : 0, b: Math.min(total, offset + PAGE), n: number(total, 0) })),
      h('button', { type: 'button', disabled: offset + PAGE >= total, onclick: () => { offset += PAGE; search(false); } }, t('records.next'))));
}
