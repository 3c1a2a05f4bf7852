/** The /chat test page: plain HTML, its style and script in /static (the CSP allows no inline code). Vietnamese UI. */
export function chatPage(): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thử trò chuyện – Trợ lý Hải quan Hoành Mô</title>
<link rel="stylesheet" href="/static/chat.css">
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
<script src="/static/chat.js"></script>
</body>
</html>`;
}
