// The work-order board: orders in four lanes by status, the grab countdown and the handling deadline
// ticking, overdue orders marked. An order's detail offers only the actions the loop allows from its
// status (allowedActions, from the loop's own table), sends the command, and shows what the loop made
// of it: the new status, or the refusal's reason from the dead letter.
import { api, query } from './api.js';
import { h, fill, chip, fields } from './dom.js';
import { t, name } from './i18n.js';
import { time, duration } from './format.js';
import { allGrids } from './map.js';
import { openDialog, dialogOpen } from './dialog.js';
import { showAlert } from './alerts.js';

const LANES = [
  ['REPORTED', ['REPORTED']],
  ['HANDLING', ['GRABBED', 'DISPATCHED', 'SPLIT', 'JOINED', 'RETURNED']],
  ['HANDLED', ['HANDLED', 'RATED']],
  ['CLOSED', ['CLOSED']],
];
const DEPARTMENTS = ['POLICE', 'HEALTH', 'MARKET_REGULATION', 'HOUSING', 'URBAN_MANAGEMENT', 'CIVIL_AFFAIRS',
  'JUSTICE', 'EMERGENCY_MANAGEMENT', 'PETITION', 'HR_SOCIAL_SECURITY'];

const orders = new Map(); // orderId -> order
let panel;
let board;
let overdueOnly = false;
let role = 'viewer';
let openOrderId = null;
let updatedId = null;

export function initOrders(el, userRole) {
  panel = el;
  role = userRole;
  build();
  document.addEventListener('gf:workorder', (e) => arrive(e.detail));
  document.addEventListener('gf:resync', load);
  document.addEventListener('gf:language', () => { build(); render(); });
  setInterval(tick, 1000);
  return load();
}

function build() {
  const box = h('input', { type: 'checkbox', id: 'orders-overdue', checked: overdueOnly, onchange: () => { overdueOnly = box.checked; render(); } });
  board = h('div', { class: 'board', id: 'board' });
  fill(panel,
    h('div', { class: 'toolbar' }, h('label', {}, box, ' ', t('orders.overdueOnly')),
      role === 'viewer' ? h('span', { class: 'muted' }, t('orders.viewer')) : null),
    board);
}

async function load() {
  try {
    const r = await api('/v1/workorders' + query({ size: 500 }));
    orders.clear();
    for (const o of r.workorders || []) orders.set(o.orderId, o);
    render();
  } catch (e) {
    fill(board, h('p', { class: 'empty' }, t('error', { d: e.message })));
  }
}

function gridName(id) {
  return allGrids().find((g) => g.gridId === id)?.name || id;
}

function countdown(o) {
  const now = Date.now();
  if (o.status === 'REPORTED' && o.grabDeadline) {
    const left = Date.parse(o.grabDeadline) - now;
    return left > 0
      ? h('span', { class: 'countdown', dataset: { until: o.grabDeadline, kind: 'grab' } }, t('orders.grabIn', { t: duration(left) }))
      : h('span', { class: 'countdown due' }, t('orders.grabPassed'));
  }
  if (['HANDLED', 'RATED', 'CLOSED'].includes(o.status)) return null;
  const left = Date.parse(o.dueAt) - now;
  if (o.overdue || left <= 0) return h('span', { class: 'countdown due' }, t('orders.overdueBy', { t: duration(-left) }));
  return h('span', { class: 'countdown', dataset: { until: o.dueAt, kind: 'due' } }, t('orders.dueIn', { t: duration(left) }));
}

function card(o) {
  return h('li', {}, h('button', {
    type: 'button',
    class: 'card' + (o.overdue ? ' overdue' : '') + (o.orderId === updatedId ? ' updated' : ''),
    dataset: { order: o.orderId, status: o.status, alert: o.alertId },
    onclick: () => showOrder(o.orderId),
  },
  h('span', { class: 'title' }, name('rule', o.ruleId)),
  h('span', { class: 'meta' }, gridName(o.gridId)),
  h('span', {}, chip('', o.level, t('severity.' + o.level)), ' ', chip('status', o.status, t('ostatus.' + o.status)),
    o.overdue ? [' ', chip('overdue', 'OVERDUE', t('orders.overdue'))] : null),
  o.assignee ? h('span', { class: 'meta' }, t('field.assignee') + ': ' + o.assignee) : null,
  attached(o),
  countdown(o)));
}

/** The alerts of the incident the order carries, when there are more than the one that opened it. */
function attached(o) {
  const rules = o.ruleIds || [];
  if (rules.length < 2) return null;
  return h('span', { class: 'meta attached', dataset: { alerts: String(rules.length) } },
    t('orders.attached', { n: rules.length, rules: rules.map((r) => name('rule', r)).join(', ') }));
}

function render() {
  const shown = [...orders.values()].filter((o) => !overdueOnly || o.overdue)
    .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || ''));
  fill(board, LANES.map(([lane, statuses]) => {
    const mine = shown.filter((o) => statuses.includes(o.status));
    return h('section', { class: 'lane', 'aria-label': t('orders.lane.' + lane), dataset: { lane } },
      h('h3', {}, h('span', {}, t('orders.lane.' + lane)), h('span', {}, String(mine.length))),
      mine.length ? h('ul', { class: 'cards' }, mine.map(card)) : h('p', { class: 'muted' }, '–'));
  }));
}

/** Counts the countdowns down without redrawing the board. */
function tick() {
  for (const el of document.querySelectorAll('.countdown[data-until]')) {
    const left = Date.parse(el.dataset.until) - Date.now();
    if (left <= 0) { el.classList.add('due'); continue; }
    el.textContent = t(el.dataset.kind === 'grab' ? 'orders.grabIn' : 'orders.dueIn', { t: duration(left) });
  }
}

function arrive(o) {
  const before = orders.get(o.orderId);
  // an older state arriving late never replaces a newer one (history only grows)
  if (before && (before.history || []).length > (o.history || []).length) return;
  orders.set(o.orderId, o);
  updatedId = o.orderId;
  render();
  // redraw an open detail, unless a command is being written or its outcome is shown there
  const box = document.getElementById('command-box');
  if (openOrderId === o.orderId && dialogOpen() && box && !box.childElementCount) showOrder(o.orderId, o);
}

/** The detail of one order, with the actions its status allows. */
export async function showOrder(orderId, known) {
  let o = known;
  if (!o) {
    try {
      o = await api('/v1/workorders/' + encodeURIComponent(orderId));
    } catch (e) {
      openDialog(t('orders.detail'), h('p', {}, t('error', { d: e.message })));
      return;
    }
  }
  openOrderId = orderId;
  document.getElementById('dialog').dataset.alert = '';
  const history = h('ol', { class: 'timeline' }, (o.history || []).map((e) => h('li', {},
    h('strong', {}, t('action.' + e.action)), ' · ', time(e.ts),
    e.actor ? ' · ' + e.actor : '', e.assignee ? ' → ' + e.assignee : '', e.comment ? h('div', { class: 'muted' }, e.comment) : null)));
  const actions = h('div', { class: 'actions', id: 'order-actions' });
  const formBox = h('div', { id: 'command-box' });
  const allowed = o.allowedActions || [];
  if (role !== 'operator') actions.append(h('span', { class: 'muted' }, t('orders.viewer')));
  else if (!allowed.length) actions.append(h('span', { class: 'muted' }, t('orders.noActions')));
  else for (const a of allowed) {
    actions.append(h('button', { type: 'button', dataset: { action: a }, onclick: () => commandForm(o, a, formBox) }, t('action.' + a)));
  }
  openDialog(t('orders.detail') + ' · ' + name('rule', o.ruleId), [
    fields([
      [t('field.orderId'), h('span', { class: 'mono' }, o.orderId)],
      [t('field.status'), chip('status', o.status, t('ostatus.' + o.status))],
      [t('field.level'), chip('', o.level, t('severity.' + o.level))],
      [t('field.grid'), `${gridName(o.gridId)} (${o.gridId})`],
      [t('field.assignee'), o.assignee],
      [t('field.departments'), (o.departments || []).map((d) => name('department', d)).join('、')],
      [t('field.created'), time(o.createdAt)],
      [t('field.grabDeadline'), o.grabDeadline ? time(o.grabDeadline) : null],
      [t('field.due'), time(o.dueAt)],
      [t('field.overdue'), o.overdue ? t('yes') : t('no')],
      [t('field.rating'), o.rating],
      [t('field.alertId'), h('button', { type: 'button', class: 'link', onclick: () => showAlert(o.alertId) }, o.alertId)],
      [t('field.incidentId'), o.incidentId ? h('span', { class: 'mono' }, o.incidentId) : null],
      [t('field.alerts'), (o.alertIds || []).length > 1
        ? h('span', {}, o.alertIds.flatMap((id, i) => [i ? ' ' : '',
          h('button', { type: 'button', class: 'link', onclick: () => showAlert(id) }, name('rule', (o.ruleIds || [])[i] || id))]))
        : null],
    ]),
    countdown(o),
    h('h3', {}, t('orders.actions')),
    actions,
    formBox,
    h('h3', {}, t('field.history')),
    history,
  ], () => { openOrderId = null; });
}

/** The form of one action: who acts, and what the action needs (assignee, departments, rating...). */
function commandForm(o, action, box) {
  const defaultActor = action === 'GRAB' ? 'street:' + (o.street || '') : (o.assignee || 'district');
  const actor = h('input', { id: 'command-actor', value: defaultActor, required: true });
  const rows = [h('label', { for: 'command-actor' }, t('orders.actor')), actor];
  let assignee, rating, comment;
  const departments = [];
  if (action === 'DISPATCH' || action === 'SPLIT') {
    assignee = h('input', { id: 'command-assignee', value: action === 'SPLIT' ? 'community:' + (o.community || '') : 'district', required: action === 'SPLIT' });
    rows.push(h('label', { for: 'command-assignee' }, t('orders.assignee')), assignee);
  }
  if (action === 'JOIN') {
    rows.push(h('span', {}, t('orders.departments')), h('div', { class: 'departments' }, DEPARTMENTS.map((d) => {
      const cb = h('input', { type: 'checkbox', value: d });
      departments.push(cb);
      return h('label', {}, cb, ' ', name('department', d));
    })));
  }
  if (action === 'RATE') {
    rating = h('select', { id: 'command-rating' }, [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, String(n))));
    rows.push(h('label', { for: 'command-rating' }, t('orders.rating')), rating);
  }
  if (['FEEDBACK', 'RETURN', 'SPLIT', 'JOIN', 'DISPATCH', 'GRAB', 'CLOSE', 'RATE'].includes(action)) {
    comment = h('textarea', { id: 'command-comment', rows: 2 });
    rows.push(h('label', { for: 'command-comment' }, t('orders.comment')), comment);
  }
  const outcome = h('div', { class: 'outcome full', id: 'command-outcome', role: 'status', hidden: true });
  const send = h('button', { type: 'submit', class: 'primary', id: 'command-send' }, t('orders.send', { a: t('action.' + action) }));
  const form = h('form', { class: 'command-form', id: 'command-form', dataset: { action } },
    rows,
    h('div', { class: 'full actions' }, send, h('button', { type: 'button', onclick: () => fill(box) }, t('orders.cancel'))),
    outcome);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { action, actor: actor.value.trim() };
    if (assignee && assignee.value.trim()) body.assignee = assignee.value.trim();
    if (departments.length) body.departments = departments.filter((c) => c.checked).map((c) => c.value);
    if (rating) body.rating = Number(rating.value);
    if (comment && comment.value.trim()) body.comment = comment.value.trim();
    send.disabled = true;
    show(outcome, 'PENDING', t('orders.sending'));
    try {
      const sent = await api('/v1/workorders/' + encodeURIComponent(o.orderId) + '/commands', { method: 'POST', body });
      show(outcome, 'PENDING', t('orders.pending'));
      await follow(o.orderId, sent.commandId, outcome);
    } catch (err) {
      show(outcome, 'ERROR', t('orders.failed', { d: err.message }));
      send.disabled = false;
    }
  });
  fill(box, form);
  actor.focus();
}

function show(el, state, text) {
  el.hidden = false;
  el.dataset.state = state;
  el.textContent = text;
}

/** Polls the command's outcome until the loop applied or refused it (30 s at most). */
async function follow(orderId, commandId, outcome) {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 400));
    const r = await api(`/v1/workorders/${encodeURIComponent(orderId)}/commands/${encodeURIComponent(commandId)}`);
    if (r.state === 'APPLIED') {
      show(outcome, 'APPLIED', t('orders.applied', { s: t('ostatus.' + r.status) }));
      // the order as the command left it, from the loop itself (Elasticsearch may not have it yet)
      if (r.order) {
        arrive(r.order);
        await refreshActions(orders.get(orderId));
      }
      return;
    }
    if (r.state === 'REFUSED') {
      show(outcome, 'REFUSED', t('orders.refused', { r: r.reason, d: r.detail }));
      return;
    }
  }
  show(outcome, 'PENDING', t('orders.slow'));
}

/** After an applied command: the order drawn anew (status, actions, history), the outcome kept. */
async function refreshActions(o) {
  const outcome = document.getElementById('command-outcome');
  await showOrder(o.orderId, o);
  const box = document.getElementById('command-box');
  if (outcome && box) fill(box, outcome);
}
