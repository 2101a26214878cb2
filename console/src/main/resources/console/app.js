// The console page: sign in (or reuse the session), then the map, the panels and the live stream.
import { api, setCsrfToken } from './api.js';
import { t, translatePage, toggleLanguage } from './i18n.js';
import { clock, setZone } from './format.js';
import { connect, disconnect } from './events.js';
import { initMap, choose, refreshLevels } from './map.js';
import { initGridPanel } from './grid.js';
import { initAlerts } from './alerts.js';
import { initOrders } from './orders.js';
import { initRecords } from './records.js';
import { initHealth } from './health.js';
import { initDialog } from './dialog.js';

const TABS = ['grid', 'alerts', 'orders', 'records', 'health'];
let started = false;

function showLogin(messageKey) {
  document.getElementById('app').hidden = true;
  document.getElementById('login').hidden = false;
  const m = document.getElementById('login-message');
  m.hidden = !messageKey;
  if (messageKey) m.textContent = t(messageKey);
  document.getElementById('login-token').focus();
}

async function signIn(e) {
  e.preventDefault();
  const token = document.getElementById('login-token').value.trim();
  try {
    const s = await api('/v1/session', { method: 'POST', body: { token } });
    document.getElementById('login-token').value = '';
    start(s);
  } catch (err) {
    showLogin(err.status === 401 ? 'login.wrong' : null);
    if (err.status !== 401) {
      const m = document.getElementById('login-message');
      m.hidden = false;
      m.textContent = t('error', { d: err.message });
    }
  }
}

function showTab(name) {
  for (const tab of TABS) {
    const button = document.getElementById('tab-' + tab);
    const selected = tab === name;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    document.getElementById('panel-' + tab).hidden = !selected;
  }
  document.getElementById('main').classList.toggle('wide', name === 'orders' || name === 'records');
  document.dispatchEvent(new CustomEvent('gf:tab', { detail: name }));
}

function initTabs() {
  const list = document.getElementById('tabs');
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) showTab(tab.dataset.tab);
  });
  // arrow keys move between tabs (WAI-ARIA tabs pattern)
  list.addEventListener('keydown', (e) => {
    const i = TABS.indexOf(document.activeElement?.dataset?.tab);
    if (i < 0) return;
    let j = null;
    if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
    if (e.key === 'ArrowLeft') j = (i + TABS.length - 1) % TABS.length;
    if (e.key === 'Home') j = 0;
    if (e.key === 'End') j = TABS.length - 1;
    if (j === null) return;
    e.preventDefault();
    showTab(TABS[j]);
    document.getElementById('tab-' + TABS[j]).focus();
  });
  document.addEventListener('gf:show-tab', (e) => showTab(e.detail));
}

async function start(session) {
  setCsrfToken(session.csrfToken);
  setZone(session.timeZone);
  document.getElementById('login').hidden = true;
  document.getElementById('app').hidden = false;
  document.getElementById('role').textContent = t('role.' + session.role);
  document.getElementById('role').dataset.role = session.role;
  if (started) return;
  started = true;
  initDialog();
  initTabs();
  showTab('alerts');
  await initMap(document.getElementById('map'));
  initGridPanel(document.getElementById('panel-grid'));
  initRecords(document.getElementById('panel-records'));
  initHealth(document.getElementById('panel-health'));
  await Promise.all([
    initAlerts(document.getElementById('panel-alerts')),
    initOrders(document.getElementById('panel-orders'), session.role),
  ]);
  document.getElementById('grid-find').addEventListener('change', (e) => {
    const v = e.target.value.trim();
    if (v) choose(v);
  });
  document.addEventListener('gf:resync', () => refreshLevels().catch(() => {}));
  connect();
  document.body.dataset.ready = 'true';
}

async function main() {
  translatePage();
  document.querySelectorAll('.lang-toggle').forEach((b) => b.addEventListener('click', () => {
    toggleLanguage();
    const role = document.getElementById('role').dataset.role;
    if (role) document.getElementById('role').textContent = t('role.' + role);
  }));
  document.getElementById('login-form').addEventListener('submit', signIn);
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/v1/session', { method: 'DELETE' }).catch(() => {});
    disconnect();
    location.replace('/');
  });
  document.addEventListener('gf:signed-out', () => {
    disconnect();
    showLogin('login.ended');
  });
  setInterval(() => { document.getElementById('clock').textContent = clock(); }, 1000);
  const expired = new URLSearchParams(location.search).get('login') === 'expired';
  if (expired) history.replaceState(null, '', '/');
  const s = await api('/v1/session');
  if (s.authenticated) start(s);
  else showLogin(expired ? 'login.expired' : null);
}

main();
