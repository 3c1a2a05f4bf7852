/** The /chat test page: plain HTML, a small script at /chat.js, no framework. Vietnamese UI. */
export function chatPage(): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thử trò chuyện – Trợ lý Hải quan Hoành Mô</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f0f2f5; }
  header { background: #0b5394; color: #fff; padding: 12px 16px; font-size: 18px; }
  #log { max-width: 720px; margin: 0 auto; padding: 16px; display: flex; flex-direction: column; gap: 8px; min-height: 60vh; }
  .msg { padding: 8px 12px; border-radius: 14px; max-width: 85%; white-space: pre-wrap; line-height: 1.4; }
  .user { align-self: flex-end; background: #0b5394; color: #fff; }
  .bot { align-self: flex-start; background: #fff; border: 1px solid #ddd; }
  .officer { background: #e6f4ea; border-color: #b7dfc3; }
  .choices { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
  .choices button { border: 1px solid #0b5394; color: #0b5394; background: #fff; border-radius: 14px; padding: 4px 10px; cursor: pointer; }
  .meta { font-size: 12px; color: #666; align-self: flex-start; }
  form { position: sticky; bottom: 0; display: flex; gap: 8px; max-width: 720px; margin: 0 auto; padding: 12px 16px; background: #f0f2f5; }
  input[type=text] { flex: 1; padding: 10px; border-radius: 18px; border: 1px solid #bbb; font-size: 16px; }
  form button { padding: 10px 16px; border-radius: 18px; border: 0; background: #0b5394; color: #fff; font-size: 16px; }
  label { font-size: 13px; color: #444; }
</style>
</head>
<body>
<header>Trợ lý tự động – Hải quan cửa khẩu Hoành Mô <small>(trang thử nghiệm)</small></header>
<main id="log" aria-live="polite">
  <div class="msg bot">Xin chào! Hãy gõ câu hỏi về thủ tục hải quan, có dấu hoặc không dấu đều được.</div>
</main>
<form id="ask" method="post" action="/api/ask">
  <input type="text" name="text" id="text" autocomplete="off" placeholder="Nhập câu hỏi, ví dụ: hq làm việc t7 ko" aria-label="Câu hỏi" required maxlength="2000">
  <button type="submit">Gửi</button>
  <label><input type="checkbox" id="debug"> chi tiết</label>
</form>
<script src="/chat.js"></script>
</body>
</html>`;
}

export const CHAT_SCRIPT = `(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('ask');
  const input = document.getElementById('text');
  const debug = document.getElementById('debug');
  const user = 'web-' + Math.random().toString(36).slice(2, 10);
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
    const res = await fetch('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, ...body }) });
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
      const res = await fetch('/api/messages?user=' + encodeURIComponent(user) + '&after=' + after);
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
})();`;
