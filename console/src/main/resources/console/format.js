// Times in the district's zone (time.zone, from the session) and durations in words.
import { language, t } from './i18n.js';

let zone = 'Asia/Shanghai';

export function setZone(z) {
  if (z) zone = z;
}

export function timeZone() {
  return zone;
}

/** 08:15 in the district's zone. */
export function hourMinute(d) {
  return fmt({ hour: '2-digit', minute: '2-digit' }).format(d);
}

function fmt(options) {
  return new Intl.DateTimeFormat(language() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: zone, hour12: false, ...options });
}

/** 2026-11-24 08:15:30 in the district's zone. */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = Object.fromEntries(fmt({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export function clock(d = new Date()) {
  return fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
}

/** A duration in milliseconds as "5 min", "2 h 10 min", "3 d 4 h". */
export function duration(ms) {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return t('dur.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('dur.m', { n: m });
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return t('dur.h', { n: hrs, m: m % 60 });
  return t('dur.d', { n: Math.floor(hrs / 24), h: hrs % 24 });
}

export function number(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return Number(v).toLocaleString(language() === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits });
}
