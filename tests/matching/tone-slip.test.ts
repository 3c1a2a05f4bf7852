import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/matching/index.js';
import { normalize } from '../../src/matching/normalize.js';
import { resolveWords } from '../../src/matching/search.js';

const index = buildIndex([
  { id: 'gio', questions: ['Giờ làm việc của hải quan?', 'hải quan làm việc thứ bảy không'], tags: [], body: 'Làm việc từ thứ Hai.' },
  { id: 'nhap', questions: ['Thủ tục nhập khẩu hàng hóa?', 'các bước nhập khẩu'], tags: [], body: 'Khai tờ khai nhập khẩu.' },
  { id: 'gtgt', questions: ['Thuế GTGT ở khâu nhập khẩu?', 'thuế suất khâu nhập khẩu', 'nộp tiền thuế GTGT'], tags: [], body: 'Thuế GTGT ở khâu nhập khẩu.' },
  { id: 'kho', questions: ['Thuê kho ở cửa khẩu?', 'giá thuê kho bãi'], tags: [], body: 'Thuê kho của doanh nghiệp kho bãi.' },
  { id: 'may', questions: ['Nhập khẩu quần áo may sẵn?', 'quần áo cũ có nhập được không'], tags: [], body: 'Quần áo cũ cấm nhập khẩu.' },
  { id: 'sua', questions: ['Khai bổ sung tờ khai thế nào?', 'sửa tờ khai đã đăng ký'], tags: [], body: 'Khai bổ sung trên hệ thống.' },
]);

const understood = (text: string) =>
  Object.fromEntries(resolveWords(index, normalize(text).content).map((w) => [w.spelling ?? w.typed, { kind: w.kind, meant: w.meant ?? null }]));

describe('tone marks typed wrong', () => {
  it('reads an accented word the knowledge base never spells that way as its folded twin, discounted', () => {
    expect(understood('hải quan làm viêc thứ bảy không')['viêc']).toEqual({ kind: 'tone-slip', meant: 'việc' });
  });

  it('reads a word of the knowledge base as a slip when its neighbour shows the other spelling ("nhập khâu")', () => {
    expect(understood('thủ tục nhập khâu hàng hóa')['khâu']).toEqual({ kind: 'tone-slip', meant: 'khẩu' });
    expect(understood('thuế ở khâu nhập khẩu')['khâu']).toEqual({ kind: 'known', meant: null });
  });

  it('keeps words the marks tell apart: thuế ≠ thuê, quần ≠ quan', () => {
    expect(understood('thuê kho ở cửa khẩu')['thuê']).toEqual({ kind: 'known', meant: null });
    expect(understood('thuế suất nhập khẩu')['thuế']).toEqual({ kind: 'known', meant: null });
    expect(understood('quần áo cũ')['quần']).toEqual({ kind: 'known', meant: null });
    expect(understood('hải quan làm việc')['quan']).toEqual({ kind: 'known', meant: null });
  });

  it('lets a confirming neighbour win over a contradicting one ("tiền thuê kho" stays thuê)', () => {
    expect(understood('nộp tiền thuê')['thuê']).toEqual({ kind: 'tone-slip', meant: 'thuế' });
    expect(understood('tiền thuê kho')['thuê']).toEqual({ kind: 'known', meant: null });
  });
});

describe('sound-alike spellings (s/x, ch/tr, d/gi/r, l/n, n/ng, c/t)', () => {
  it('reads an unknown word as its sound-alike when the knowledge base uses that pair ("bổ xung" → bổ sung)', () => {
    const words = resolveWords(index, normalize('khai bổ xung tờ khai').content);
    expect(words.find((w) => w.typed === 'xung')).toMatchObject({ as: ['sung'], kind: 'corrected' });
  });

  it('leaves a lone sound-alike alone: without a neighbour to confirm it, it is another word', () => {
    const words = resolveWords(index, normalize('xung đột').content);
    expect(words.find((w) => w.typed === 'xung')).toMatchObject({ as: [], kind: 'unknown' });
  });
});
