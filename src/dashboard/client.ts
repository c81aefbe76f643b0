// The page's one inline script: live updates by polling the page itself every few seconds and
// swapping in the regions marked data-live that changed. The server stays the only renderer (one
// escaping path, relative times from the server's clock); focus and open <details> survive a swap.
// Plain JS in a string: it is served as is, with no build step.
export const CLIENT_SCRIPT = `(() => {
  const status = document.getElementById('live');
  const every = Number(document.body.dataset.poll) || 3000;
  const last = new Map();
  for (const el of document.querySelectorAll('[data-live][id]')) last.set(el.id, el.innerHTML);
  let busy = false;
  let shown = '';
  const show = (text, bad) => {
    if (!status || text === shown) return;
    shown = text;
    status.textContent = text;
    status.classList.toggle('bad', bad);
  };
  const keyOf = (el) => {
    if (!el || el === document.body) return null;
    if (el.id) return '#' + CSS.escape(el.id);
    const href = el.getAttribute && el.getAttribute('href');
    return href ? 'a[href="' + CSS.escape(href) + '"]' : null;
  };
  const refresh = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(location.href, { headers: { accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
      if (!res.ok) return show('Live updates paused: the server answered ' + res.status + (res.status === 401 ? '; open the dashboard link again' : ''), true);
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const next of doc.querySelectorAll('[data-live][id]')) {
        const cur = document.getElementById(next.id);
        if (!cur || last.get(next.id) === next.innerHTML) continue;
        const key = cur.contains(document.activeElement) ? keyOf(document.activeElement) : null;
        const open = Array.from(cur.querySelectorAll('details[open][id]'), (d) => d.id);
        const node = document.importNode(next, true);
        cur.replaceWith(node);
        last.set(next.id, next.innerHTML);
        for (const id of open) document.getElementById(id)?.setAttribute('open', '');
        if (key) node.querySelector(key)?.focus({ preventScroll: true });
      }
      document.body.dataset.updated = new Date().toISOString();
      show('Live: updates every ' + Math.round(every / 100) / 10 + ' s', false);
    } catch {
      show('Live updates paused: the monitor cannot be reached', true);
    } finally {
      busy = false;
    }
  };
  setInterval(refresh, every);
  document.addEventListener('visibilitychange', () => document.hidden || refresh());
})();`;
