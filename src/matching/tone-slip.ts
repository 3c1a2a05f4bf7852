import { pairKey, unpair, type MatchIndex } from './index.js';
import type { Token } from './normalize.js';

/**
 * Tone marks typed wrong ("viêc" for "việc", "nhập khâu" for "nhập khẩu"). A deliberate mark tells words apart
 * (thuế/thuê, quần/quan), so an accented word stands for another spelling only on evidence:
 *
 * - the knowledge base never spells the word this way, but does use its folded form ("viêc" → "việc");
 * - or it does ("khâu" is a word of the knowledge base), yet next to its neighbour it spells the pair only
 *   another way ("nhập khâu": the knowledge base writes "nhập khẩu", never "nhập khâu") and no neighbour pair
 *   confirms the spelling typed ("thuê kho" stays "thuê").
 */
export interface ToneSlip {
  /** The knowledge base's spelling the word most likely stands for; null when several are possible. */
  readonly meant: string | null;
}

function pairSpellings(index: MatchIndex, first: Token, second: Token, position: 0 | 1): string[] {
  const a = index.features.get(first.text);
  const b = index.features.get(second.text);
  if (a === undefined || b === undefined) return [];
  const spelled = index.accentPairs.get(pairKey(a, b)) ?? [];
  return spelled.map((pair) => index.spellings[unpair(pair)[position]]!);
}

/** What the neighbours say of the spelling of tokens[at]: spellings the knowledge base uses beside them. */
function neighbourEvidence(index: MatchIndex, tokens: readonly Token[], at: number): { confirmed: boolean; others: Set<string> } {
  const t = tokens[at]!;
  const others = new Set<string>();
  let confirmed = false;
  const consider = (spellings: string[]) => {
    for (const s of spellings) {
      if (s === t.spelling) confirmed = true;
      else others.add(s);
    }
  };
  const before = tokens[at - 1];
  const after = tokens[at + 1];
  if (before) consider(pairSpellings(index, before, t, 1));
  if (after) consider(pairSpellings(index, t, after, 0));
  return { confirmed, others };
}

const single = (spellings: ReadonlySet<string> | readonly string[]): string | null => {
  const list = [...spellings];
  return list.length === 1 ? list[0]! : null;
};

/** The slip tokens[at] is, or null when its marks are to be taken as typed. Only for known folded words. */
export function toneSlip(index: MatchIndex, tokens: readonly Token[], at: number): ToneSlip | null {
  const t = tokens[at]!;
  if (t.accented === null || t.spelling === null) return null;
  const forms = index.accents.get(t.text);
  if (!forms) return null;
  const evidence = neighbourEvidence(index, tokens, at);
  if (!forms.has(t.spelling)) {
    return { meant: single(evidence.others) ?? single([...forms.keys()]) };
  }
  if (evidence.confirmed || evidence.others.size === 0) return null;
  return { meant: single(evidence.others) };
}
