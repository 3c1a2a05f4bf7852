import { describe, expect, it } from 'vitest';
import { renderChatText } from '../../src/knowledge/render.js';
import { MAX_MESSAGE_LENGTH, splitMessage } from '../../src/knowledge/split.js';

describe('renderChatText', () => {
  it('turns lists into bullet lines and keeps numbering', () => {
    expect(renderChatText('Các bước:\n\n- Khai tờ khai\n- Nộp thuế')).toBe('Các bước:\n\n• Khai tờ khai\n• Nộp thuế');
    expect(renderChatText('1. Một\n2. Hai')).toBe('1. Một\n2. Hai');
  });

  it('writes links as "text: url" and bare urls once', () => {
    expect(renderChatText('Xem [Cổng thông tin](https://www.customs.gov.vn).')).toBe('Xem Cổng thông tin: https://www.customs.gov.vn.');
    expect(renderChatText('Tại https://vnsw.gov.vn nhé')).toBe('Tại https://vnsw.gov.vn nhé');
  });

  it('drops emphasis, headings marks and HTML', () => {
    expect(renderChatText('## Lưu ý\n\n**Đậm** và *nghiêng* và <b>thẻ</b>')).toBe('Lưu ý\n\nĐậm và nghiêng và thẻ');
  });

  it('indents nested lists', () => {
    expect(renderChatText('- Hồ sơ\n  - Hóa đơn\n  - C/O')).toBe('• Hồ sơ\n  • Hóa đơn\n  • C/O');
  });

  it('decodes entities that the lexer escapes', () => {
    expect(renderChatText('Tờ khai & hóa đơn "gốc"')).toBe('Tờ khai & hóa đơn "gốc"');
  });
});

describe('splitMessage', () => {
  it('keeps a short text whole', () => {
    expect(splitMessage('Xin chào')).toEqual(['Xin chào']);
  });

  it('splits at paragraph boundaries first', () => {
    const p = 'Đoạn văn. '.repeat(120).trim(); // ~1,200 characters
    const parts = splitMessage(`${p}\n\n${p}\n\n${p}`);
    expect(parts).toEqual([p, p, p]);
  });

  it('splits an over-long paragraph at sentence boundaries', () => {
    const sentence = 'Doanh nghiệp nộp tờ khai hải quan điện tử trên hệ thống. ';
    const paragraph = sentence.repeat(60).trim();
    const parts = splitMessage(paragraph);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(part.endsWith('hệ thống.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(paragraph);
  });

  it('never cuts inside a word when a sentence is too long', () => {
    const words = Array.from({ length: 700 }, (_, i) => `từ${i}`).join(' ');
    const parts = splitMessage(words, 500);
    expect(parts.join(' ')).toBe(words);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
  });

  it('never cuts inside an emoji or a letter with its accents', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = family.repeat(300);
    const parts = splitMessage(text, 100);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(100);
      expect(part.length % family.length).toBe(0);
    }
    const nfd = 'ệ'.normalize('NFD').repeat(120);
    for (const part of splitMessage(nfd, 50)) expect(part.length % 3).toBe(0);
  });
});
