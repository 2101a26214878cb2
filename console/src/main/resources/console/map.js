// The district map: every grid polygon from /v1/grids, coloured by its current risk level, dedicated
// grids outlined and marked, street and community names on top. No base map: the grid map is the map.
// Live: gf:grid events recolour a grid as its score changes.
import { api } from './api.js';
import { s, h, fill } from './dom.js';
import { t } from './i18n.js';
import { number } from './format.js';

const WIDTH = 1000;
const grids = new Map(); // gridId -> {props, path, centroid}
let svg;
let layer;
let view = null;
let home = null;
let selected = null;
let overlays = null; // {marks, communities, streets}: drawn at a fixed size on screen

export function allGrids() {
  return [...grids.values()].map((g) => g.props);
}

export function grid(gridId) {
  return grids.get(gridId)?.props;
}

export async function initMap(svgElement) {
  svg = svgElement;
  const collection = await api('/v1/grids');
  draw(collection.features || []);
  enableZoom();
  document.addEventListener('gf:grid', (e) => update(e.detail));
  document.addEventListener('gf:language', relabel);
  document.getElementById('zoom-in').addEventListener('click', () => zoom(1 / 1.4));
  document.getElementById('zoom-out').addEventListener('click', () => zoom(1.4));
  document.getElementById('zoom-reset').addEventListener('click', () => setView({ ...home }));
  legend();
  return allGrids();
}

/** Reloads levels and scores (after the live stream was interrupted). */
export async function refreshLevels() {
  const collection = await api('/v1/grids');
  for (const f of collection.features || []) update(f.properties);
}

function project(features) {
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (const f of features) {
    for (const ring of rings(f.geometry)) {
      for (const [lon, lat] of ring) {
        minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
      }
    }
  }
  const kx = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const scale = WIDTH / Math.max(1e-9, (maxLon - minLon) * kx);
  const height = (maxLat - minLat) * scale;
  return { fn: ([lon, lat]) => [(lon - minLon) * kx * scale, (maxLat - lat) * scale], height };
}

function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

function outerRings(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates[0]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.map((p) => p[0]);
  return [];
}

/** The area-weighted centroid of the largest outer ring, in map units. */
function centroid(points) {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[i + 1];
    const c = x0 * y1 - x1 * y0;
    a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c;
  }
  if (Math.abs(a) < 1e-9) return points[0] || [0, 0];
  return [cx / (3 * a), cy / (3 * a)];
}

function draw(features) {
  grids.clear();
  fill(svg);
  document.getElementById('map-empty').hidden = features.length > 0;
  if (!features.length) {
    document.getElementById('map-empty').textContent = t('map.none');
    return;
  }
  const { fn, height } = project(features);
  home = { x: -10, y: -40, w: WIDTH + 20, h: height + 50 }; // room above for the street names
  layer = s('g', { class: 'grids' });
  const marks = s('g', { class: 'marks' });
  const communities = s('g', { class: 'labels' });
  const streets = s('g', { class: 'labels' });
  svg.append(layer, marks, communities, streets);
  overlays = { marks, communities, streets };
  const keyboard = features.length <= 400; // a tab stop per grid only where that stays usable
  const datalist = document.getElementById('grid-list');
  datalist.replaceChildren();
  const byCommunity = new Map();
  const byStreet = new Map();
  for (const f of features) {
    const p = f.properties;
    let d = '';
    let best = null;
    let bestArea = -1;
    for (const ring of rings(f.geometry)) {
      const pts = ring.map(fn);
      d += 'M' + pts.map(([x, y]) => x.toFixed(1) + ',' + y.toFixed(1)).join('L') + 'Z';
    }
    const box = { minX: Infinity, maxX: -Infinity, minY: Infinity };
    for (const ring of outerRings(f.geometry)) {
      const pts = ring.map(fn);
      const xs = pts.map((q) => q[0]);
      const ys = pts.map((q) => q[1]);
      box.minX = Math.min(box.minX, ...xs); box.maxX = Math.max(box.maxX, ...xs); box.minY = Math.min(box.minY, ...ys);
      const area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
      if (area > bestArea) { bestArea = area; best = pts; }
    }
    const c = best ? centroid(best) : [0, 0];
    const dedicated = p.kind && p.kind !== 'BASIC';
    const path = s('path', {
      d,
      class: 'grid' + (dedicated ? ' dedicated' : ''),
      'data-grid': p.gridId,
      'data-level': p.level || 'LOW',
      'data-kind': p.kind,
      role: 'button',
      tabindex: keyboard ? 0 : -1,
    });
    path.append(s('title'));
    path.addEventListener('click', (e) => { if (!path.dataset.dragged) choose(p.gridId); e.stopPropagation(); });
    path.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(p.gridId); }
    });
    layer.append(path);
    const g = { props: p, path, centroid: c, mark: null };
    if (dedicated) {
      const mark = s('text', { class: 'kind-mark', x: c[0].toFixed(1), y: c[1].toFixed(1) });
      marks.append(s('circle', { class: 'kind-mark-bg', cx: c[0].toFixed(1), cy: c[1].toFixed(1), r: 1 }), mark);
      g.mark = mark;
    }
    grids.set(p.gridId, g);
    datalist.append(h('option', { value: p.gridId }, p.name || p.gridId));
    group(byCommunity, p.community, c, box, p.communityName || p.community);
    group(byStreet, p.street, c, box, p.streetName || p.street);
  }
  for (const [, v] of byCommunity) {
    communities.append(s('text', { class: 'label community', x: v.x / v.n, y: v.y / v.n, dy: '1.6em' }, v.name));
  }
  for (const [, v] of byStreet) {
    streets.append(s('text', { class: 'label street', x: (v.minX + v.maxX) / 2, y: v.minY, dy: '-0.45em' }, v.name));
  }
  relabel();
  setView({ ...home });
  window.addEventListener('resize', sizeOverlays);
}

/** Keeps names and marks the same size on screen at every zoom (the map's units scale with it). */
function sizeOverlays() {
  if (!overlays || !view) return;
  const r = svg.getBoundingClientRect();
  if (!r.width || !r.height) return;
  const k = Math.max(view.w / r.width, view.h / r.height); // map units per screen pixel
  const wall = r.width > 1100 ? 1.2 : 1;
  overlays.communities.style.fontSize = (11 * wall * k) + 'px';
  overlays.communities.style.strokeWidth = (3 * k) + 'px';
  overlays.streets.style.fontSize = (14 * wall * k) + 'px';
  overlays.streets.style.strokeWidth = (3.5 * k) + 'px';
  overlays.marks.style.fontSize = (11 * wall * k) + 'px';
  for (const c of overlays.marks.querySelectorAll('circle')) c.setAttribute('r', 9 * wall * k);
}

/** Gathers the grids of one street or community: the mean of their centres, and their extent. */
function group(map, key, [x, y], box, label) {
  if (!key) return;
  const v = map.get(key) || { x: 0, y: 0, n: 0, name: label, minX: Infinity, maxX: -Infinity, minY: Infinity };
  v.x += x; v.y += y; v.n += 1;
  v.minX = Math.min(v.minX, box.minX); v.maxX = Math.max(v.maxX, box.maxX); v.minY = Math.min(v.minY, box.minY);
  map.set(key, v);
}

function describe(p) {
  return `${p.name || p.gridId} (${p.gridId}) · ${t('kind.' + (p.kind || 'BASIC'))} · ${t('level.' + (p.level || 'LOW'))} ${number(p.score)}`;
}

function relabel() {
  for (const g of grids.values()) {
    g.path.querySelector('title').textContent = describe(g.props);
    g.path.setAttribute('aria-label', describe(g.props));
    if (g.mark) g.mark.textContent = t('mark.' + g.props.kind);
  }
}

function legend() {
  const ul = document.getElementById('legend');
  const draw = () => {
    fill(ul);
    for (const level of ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']) {
      ul.append(h('li', {}, h('span', { class: 'swatch', style: `background: var(--${level.toLowerCase()})` }), t('level.' + level)));
    }
    ul.append(h('li', {}, h('span', { class: 'swatch dedicated' }), t('map.dedicated') + ' (' +
      ['SCHOOL', 'HOSPITAL', 'MARKET', 'BUSINESS', 'PARK', 'INDUSTRIAL'].map((k) => t('mark.' + k) + ' ' + t('kind.' + k)).join(' · ') + ')'));
    ul.setAttribute('aria-label', t('legend'));
  };
  draw();
  document.addEventListener('gf:language', draw);
}

/** A new score for one grid (a gf:grid event, or a reload). */
function update(score) {
  const g = grids.get(score.gridId);
  if (!g) return;
  const before = g.props.level;
  if (score.level) g.props.level = score.level;
  if (score.score !== undefined) g.props.score = score.score;
  g.path.dataset.level = g.props.level || 'LOW';
  g.path.querySelector('title').textContent = describe(g.props);
  g.path.setAttribute('aria-label', describe(g.props));
  if (before !== g.props.level) {
    g.path.classList.remove('flash');
    void g.path.getBBox(); // restart the animation
    g.path.classList.add('flash');
  }
}

export function choose(gridId) {
  if (!grids.has(gridId)) return;
  if (selected) grids.get(selected)?.path.classList.remove('selected');
  selected = gridId;
  const path = grids.get(gridId).path;
  path.classList.add('selected');
  layer.append(path); // on top, so its outline shows whole
  document.dispatchEvent(new CustomEvent('gf:select-grid', { detail: gridId }));
}

function setView(v) {
  view = v;
  svg.setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
  sizeOverlays();
}

function zoom(factor, cx, cy) {
  if (!view) return;
  const w = Math.min(home.w * 2, Math.max(home.w / 20, view.w * factor));
  const k = w / view.w;
  const px = cx ?? view.x + view.w / 2;
  const py = cy ?? view.y + view.h / 2;
  setView({ x: px - (px - view.x) * k, y: py - (py - view.y) * k, w, h: view.h * k });
}

function toMap(evt) {
  const r = svg.getBoundingClientRect();
  const scale = Math.max(view.w / r.width, view.h / r.height);
  const ox = (r.width * scale - view.w) / 2;
  const oy = (r.height * scale - view.h) / 2;
  return [view.x + (evt.clientX - r.left) * scale - ox, view.y + (evt.clientY - r.top) * scale - oy, scale];
}

function enableZoom() {
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const [x, y] = toMap(e);
    zoom(e.deltaY > 0 ? 1.2 : 1 / 1.2, x, y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !view) return;
    drag = { x: e.clientX, y: e.clientY, view: { ...view }, moved: false, target: e.target };
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 5) return;
    if (!drag.moved) { drag.moved = true; svg.classList.add('dragging'); svg.setPointerCapture(e.pointerId); }
    const [, , scale] = toMap(e);
    setView({ ...drag.view, x: drag.view.x - dx * scale, y: drag.view.y - dy * scale });
  });
  const end = () => {
    if (drag?.moved && drag.target?.dataset) {
      drag.target.dataset.dragged = '1';
      const target = drag.target;
      setTimeout(() => delete target.dataset.dragged, 0);
    }
    drag = null;
    svg.classList.remove('dragging');
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
  svg.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') zoom(1 / 1.4);
    if (e.key === '-') zoom(1.4);
  });
}
