/**
 * Repairs Vietnamese typed in Telex without an input method ("nhaapj khaaur" → "nhap khau"), on folded
 * lower-case words. No Vietnamese syllable ends in s/f/r/x/j and none contains "aa", "dd", "ow"...: strip the tone
 * key, collapse the vowel keys, and let the caller accept a candidate only if it is a known word.
 */
const TONE_KEYS = /[sfrxj]/;
const VOWEL_KEYS: ReadonlyArray<readonly [RegExp, string]> = [
  [/uwow/g, 'uo'],
  [/aa/g, 'a'],
  [/aw/g, 'a'],
  [/ee/g, 'e'],
  [/oo/g, 'o'],
  [/ow/g, 'o'],
  [/uw/g, 'u'],
  [/dd/g, 'd'],
  [/w/g, 'u'],
];

function collapse(word: string): string {
  let s = word;
  for (const [pattern, replacement] of VOWEL_KEYS) s = s.replace(pattern, replacement);
  return s;
}

/** Candidate spellings, most likely first. Empty when the word shows no sign of Telex. */
export function telexCandidates(word: string): string[] {
  if (!/^[a-z]+$/.test(word) || word.length < 2) return [];
  const candidates = new Set<string>();
  const collapsed = collapse(word);
  if (collapsed !== word) candidates.add(collapsed);
  // The tone key is usually typed last, sometimes right after the vowel ("nhajp").
  for (let i = word.length - 1; i > 0; i--) {
    if (!TONE_KEYS.test(word[i]!)) continue;
    const without = word.slice(0, i) + word.slice(i + 1);
    candidates.add(collapse(without));
  }
  candidates.delete(word);
  return [...candidates];
}
