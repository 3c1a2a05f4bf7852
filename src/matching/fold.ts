/** Diacritic folding for Vietnamese: "Thuế" → "thue", "Đỏ" → "do". Input may be NFC or NFD. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** NFC + Vietnamese lower-case: the "accented" form we compare when the user did type diacritics. */
export function lowerNfc(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('vi');
}

/** True when the text carries any Vietnamese diacritic (or đ). */
export function hasDiacritics(text: string): boolean {
  const nfc = text.normalize('NFC');
  return fold(nfc) !== nfc;
}
