import { describe, expect, it } from 'vitest';
import { fold } from '../../src/matching/fold.js';
import { contentText, normalize } from '../../src/matching/normalize.js';
import { telexCandidates } from '../../src/matching/telex.js';

const words = (text: string) => normalize(text).words.map((w) => w.text).join(' ');

describe('fold', () => {
  it('removes diacritics, including đ/Đ', () => {
    expect(fold('Thuế giá trị gia tăng Đồng Văn')).toBe('Thue gia tri gia tang Dong Van');
  });

  it('gives the same result for NFC and NFD input', () => {
    const nfc = 'Thủ tục nhập khẩu hàng hóa'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(fold(nfd)).toBe(fold(nfc));
    expect(contentText(nfd)).toBe(contentText(nfc));
  });

  it('folds old and new tone placement to the same word (hoá/hóa, thuỷ/thủy)', () => {
    expect(contentText('hàng hoá thuỷ sản')).toBe(contentText('hàng hóa thủy sản'));
  });
});

describe('normalize', () => {
  it('lower-cases, strips punctuation and emoji', () => {
    expect(contentText('THỦ TỤC Hải Quan??? 😀👍 !!!')).toBe('thu tuc hai quan');
  });

  it('expands chat abbreviations and domain shorthands', () => {
    expect(words('hq lam viec t7 ko')).toBe('hai quan lam viec thu bay khong');
    expect(words('dc k')).toBe('duoc khong');
    expect(words('bn tien')).toBe('bao nhieu tien');
    expect(words('ntn')).toBe('nhu the nao');
    expect(words('dn xnk hang tq')).toBe('doanh nghiep xuat nhap khau hang trung quoc');
    expect(words('xk nk cn')).toBe('xuat khau nhap khau chu nhat');
    expect(words('cho xin sdt')).toBe('cho xin so dien thoai');
    expect(words('sửa tk thế nào')).toBe('sua to khai the nao');
    expect(words('đc j')).toBe('duoc gi');
    expect(words('thuế VAT')).toBe('thue gtgt');
    expect(words('thuế giá trị gia tăng')).toBe('thue gtgt');
    expect(words('vat hang nhap')).toBe('gtgt hang nhap');
  });

  it('does not read "vật" typed without marks as VAT', () => {
    expect(words('kiem dich dong vat')).toBe('kiem dich dong vat');
    expect(words('vat tu nhap khau')).toBe('vat tu nhap khau');
  });

  it('reads "thứ 7" and "t7" the same', () => {
    expect(contentText('thứ 7')).toBe(contentText('t7'));
    expect(contentText('thứ bảy')).toBe(contentText('t7'));
  });

  it('keeps C/O as one domain token instead of folding it into "có"', () => {
    expect(words('C/O form E')).toBe('c_o form_e');
    expect(words('co mau e la gi')).toContain('c_o form_e');
    expect(words('có mẫu tờ khai không')).not.toContain('c_o');
  });

  it('does not rewrite an accented real word that folds like an abbreviation', () => {
    // "tô" folds to "to", "có" to "co": only plain-typed tokens are abbreviations.
    expect(words('có')).toBe('co');
    expect(words('k')).toBe('khong');
    expect(words('kế')).toBe('ke');
  });

  it('separates politeness and filler from content', () => {
    expect(contentText('ad ơi cho e hỏi hq làm việc t7 ko ạ')).toBe('hai quan lam viec thu bay khong');
    expect(contentText('Dạ em chào anh chị ạ')).toBe('chao');
    expect(contentText('ok cảm ơn ad nhé')).toBe('ok');
  });

  it('keeps filler-looking words that carry content', () => {
    expect(contentText('tờ khai')).toBe('to khai');
    expect(contentText('cho hội nghị đối thoại')).toContain('hoi nghi');
    expect(contentText('chi phí')).toBe('chi phi');
  });

  it('remembers the accented spelling the user typed', () => {
    const [thue] = normalize('thuế').content;
    expect(thue).toEqual({ text: 'thue', accented: 'thuế', spelling: 'thuế' });
    const [plain] = normalize('thue').content;
    expect(plain).toEqual({ text: 'thue', accented: null, spelling: null });
  });

  it('treats a plain word as spelled plain only in a message typed with diacritics', () => {
    const accented = normalize('hải quan cửa khẩu').content.find((t) => t.text === 'quan');
    expect(accented?.spelling).toBe('quan');
    const plain = normalize('hai quan cua khau').content.find((t) => t.text === 'quan');
    expect(plain?.spelling).toBeNull();
  });

  it('splits numbers glued to units', () => {
    expect(words('7h30')).toBe('7 gio 30');
    expect(words('8tr')).toBe('8 trieu');
  });
});

describe('telexCandidates', () => {
  it('repairs Telex typed without an input method', () => {
    expect(telexCandidates('nhaapj')).toContain('nhap');
    expect(telexCandidates('khaaur')).toContain('khau');
    expect(telexCandidates('thuees')).toContain('thue');
    expect(telexCandidates('dduowcj')).toContain('duoc');
  });

  it('proposes nothing for plain words', () => {
    expect(telexCandidates('a')).toEqual([]);
    expect(telexCandidates('thue')).toEqual([]);
  });
});
