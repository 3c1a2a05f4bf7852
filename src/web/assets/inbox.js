// Live updates for the officer inbox, by polling (works behind any proxy). Pages work without this script.
(() => {
  const body = document.body;
  const summaryUrl = body.dataset.summary;
  if (!summaryUrl) return;
  let version = Number(body.dataset.version || 0);
  const baseTitle = document.title.replace(/^\(\d+\) /, '');
  async function poll() {
    try {
      const res = await fetch(summaryUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const s = await res.json();
      const badge = document.getElementById('unread');
      if (badge) {
        badge.textContent = String(s.unread);
        badge.hidden = s.unread === 0;
      }
      document.title = (s.unread > 0 ? '(' + s.unread + ') ' : '') + baseTitle;
      for (const [filter, n] of Object.entries(s.counts)) {
        const el = document.querySelector('[data-count="' + filter + '"]');
        if (el) el.textContent = String(n);
      }
      if (s.version !== version) {
        version = s.version;
        const region = document.querySelector('[data-refresh]');
        if (region) {
          const r = await fetch(region.dataset.refresh, { credentials: 'same-origin' });
          if (r.ok) region.innerHTML = await r.text();
        }
      }
    } catch {
      // offline for a moment: try again at the next tick
    }
  }
  setInterval(poll, Number(body.dataset.interval || 5000));
})();
