const ASCII = /^[\x00-\x7f]*$/;

/** Diacritic folding for Vietnamese: "Thuế" → "thue", "Đỏ" → "do". Input may be NFC or NFD. */
export function fold(text: string): string {
  if (ASCII.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** NFC + Vietnamese lower-case: the "accented" form we compare when the user did type diacritics. */
export function lowerNfc(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** True when the text carries any Vietnamese diacritic (or đ). */
export function hasDiacritics(text: string): boolean {
  if (ASCII.test(text)) return false;
  const nfc = text.normalize('NFC');
  return fold(nfc) !== nfc;
}

export interface WordForms {
  /** Lower-case, no diacritics. */
  readonly folded: string;
  /** The word itself when it carries diacritics, else null. */
  readonly accented: string | null;
  /** Typed without tone or vowel marks (đ allowed): chat abbreviations apply only to such words. */
  readonly plain: boolean;
  /** Has a digit: numbers and codes don't tell whether a message was typed with diacritics. */
  readonly hasDigit: boolean;
}

const DIGIT = /\d/;

/** Folded and accented forms of one lower-case NFC word. */
export function wordForms(word: string): WordForms {
  const folded = fold(word);
  const dotless = word.replace(/đ/g, 'd');
  return { folded, accented: folded === word ? null : word, plain: fold(dotless) === dotless, hasDigit: DIGIT.test(word) };
}
