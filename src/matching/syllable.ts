/**
 * Shape of a Vietnamese syllable once folded (no marks): optional onset, optional medial o/u, a vowel nucleus,
 * optional coda. It over-accepts a little, which is the safe side: a word with a valid shape is a real word the
 * knowledge base does not use ("hôn", "tiết") and must stay unknown — "correcting" it to a nearby FAQ word would
 * make an off-topic question look answerable. Only malformed words ("khaux", "thogn") are typos worth fixing.
 */
const SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[ou]?(ieu|yeu|uoi|uou|ia|ie|ya|ye|ua|uo|ue|a|e|i|o|u|y)(ch|nh|ng|[cmnpt]|[iouy])?$/;

export function isVietnameseSyllable(word: string): boolean {
  return SYLLABLE.test(word);
}
