// The live stream of the console (/v1/events): alert, grid and workorder events from Kafka, passed on
// as DOM events gf:alert, gf:grid, gf:workorder. After a reconnect, gf:resync asks every view to
// reload what it shows, since events may have passed while the stream was down.

let source = null;
let wasOpen = false;

export function connect() {
  if (source) return;
  source = new EventSource('/v1/events');
  for (const kind of ['alert', 'grid', 'workorder']) {
    source.addEventListener(kind, (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      document.dispatchEvent(new CustomEvent('gf:' + kind, { detail: data }));
    });
  }
  source.addEventListener('open', () => {
    document.dispatchEvent(new CustomEvent('gf:live', { detail: true }));
    if (wasOpen) document.dispatchEvent(new CustomEvent('gf:resync'));
    wasOpen = true;
  });
  source.addEventListener('error', () => {
    document.dispatchEvent(new CustomEvent('gf:live', { detail: false }));
  });
}

export function disconnect() {
  if (source) source.close();
  source = null;
  wasOpen = false;
}
