// One modal dialog for details (an alert, a work order): Escape or the close button closes it and
// focus returns to what opened it.
import { fill } from './dom.js';

let opener = null;
let onClose = null;

export function openDialog(title, body, closed) {
  const d = document.getElementById('dialog');
  document.getElementById('dialog-title').textContent = title;
  fill(document.getElementById('dialog-body'), body);
  onClose = closed || null;
  if (!d.open) {
    opener = document.activeElement;
    d.showModal();
  }
  return d;
}

export function closeDialog() {
  const d = document.getElementById('dialog');
  if (d.open) d.close();
}

export function dialogOpen() {
  return document.getElementById('dialog').open;
}

export function initDialog() {
  const d = document.getElementById('dialog');
  document.getElementById('dialog-close').addEventListener('click', closeDialog);
  d.addEventListener('close', () => {
    const f = onClose;
    onClose = null;
    if (f) f();
    if (opener && document.contains(opener)) opener.focus();
  });
}
