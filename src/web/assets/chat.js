// The /chat test page. The server knows this browser by an HttpOnly cookie, never by an id the page sends.
(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('ask');
  const input = document.getElementById('text');
  const debug = document.getElementById('debug');
  function add(cls, text) {
    const div = document.createElement('div');
    div.className = 'msg ' + cls;
    div.textContent = text;
    log.appendChild(div);
    div.scrollIntoView({ block: 'end' });
    return div;
  }
  async function send(body, shown) {
    add('user', shown);
    const res = await fetch('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json();
    if (!res.ok) { add('bot', 'Lỗi: ' + (data.error || res.status)); return; }
    for (const r of data.replies) {
      const div = add('bot', r.text || '');
      if (r.kind === 'choices') {
        const box = document.createElement('div');
        box.className = 'choices';
        for (const c of r.choices) {
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = c.title;
          b.onclick = () => send({ text: c.title, payload: c.payload }, c.title);
          box.appendChild(b);
        }
        div.appendChild(box);
      }
    }
    if (debug.checked) {
      const m = document.createElement('div');
      m.className = 'meta';
      m.textContent = data.decision + (data.id ? ' ' + data.id : '') + ' · điểm ' + data.score.toFixed(2) + ' · ' + data.candidates.map(c => c.id + ' ' + c.score.toFixed(2)).join(', ');
      log.appendChild(m);
    }
  }
  // An officer's answer to a question handed over from this page arrives later: look for it now and then.
  let after = Date.now();
  setInterval(async () => {
    try {
      const res = await fetch('/api/messages?after=' + after);
      if (!res.ok) return;
      for (const m of (await res.json()).messages) {
        after = Math.max(after, m.at);
        add('bot officer', 'Cán bộ hải quan: ' + m.text);
      }
    } catch {}
  }, 4000);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }, text).catch((err) => add('bot', 'Lỗi kết nối: ' + err.message));
  });
})();
