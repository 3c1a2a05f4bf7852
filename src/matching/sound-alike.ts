import type { MatchIndex } from './index.js';
import type { Token } from './normalize.js';

/**
 * Spellings that sound alike in northern and southern speech and are confused in writing: s/x, ch/tr, d/gi/r, l/n at
 * the start of a syllable, n/ng and c/t at its end ("bổ xung" for "bổ sung", "chanh chấp" for "tranh chấp", "sử
 * lý" for "xử lý"). On folded words.
 */
const ONSETS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['gi', ['d', 'r']],
  ['ch', ['tr']],
  ['tr', ['ch']],
  ['s', ['x']],
  ['x', ['s']],
  ['d', ['gi', 'r']],
  ['r', ['d', 'gi']],
  ['l', ['n']],
  ['n', ['l']],
];
const CODAS: ReadonlyArray<readonly [string, string]> = [
  ['ng', 'n'],
  ['n', 'ng'],
  ['c', 't'],
  ['t', 'c'],
];

function soundAlikes(word: string): string[] {
  const out: string[] = [];
  const onset = ONSETS.find(([from]) => word.startsWith(from));
  if (onset) for (const to of onset[1]) out.push(to + word.slice(onset[0].length));
  const coda = CODAS.find(([from]) => word.endsWith(from) && word.length > from.length + 1);
  if (coda) out.push(word.slice(0, -coda[0].length) + coda[1]);
  return out;
}

/**
 * The word an unknown tokens[at] was most likely meant to be: a sound-alike spelling that the knowledge base uses
 * right next to the same neighbour ("bổ xung" → "bổ sung" because "bo sung" is one of its word pairs). The neighbour
 * is the evidence: a lone sound-alike is too often a different real word.
 */
export function soundAlike(index: MatchIndex, tokens: readonly Token[], at: number): string | null {
  const before = tokens[at - 1]?.text;
  const after = tokens[at + 1]?.text;
  for (const candidate of soundAlikes(tokens[at]!.text)) {
    if (!index.features.has(candidate)) continue;
    if ((before && index.features.has(`${before} ${candidate}`)) || (after && index.features.has(`${candidate} ${after}`))) return candidate;
  }
  return null;
}
