import { FUNCTION_WORDS } from '../matching/lexicon.js';
import { normalize } from '../matching/normalize.js';

/** A question the FAQ did not answer well: handed over to officers, or marked "Chưa đúng 👎". */
export interface GapQuestion {
  readonly text: string;
  readonly at: number;
  readonly source: 'ticket' | 'feedback';
  /** Ticket number or FAQ entry id, for the link. */
  readonly ref: string;
}

export interface GapCluster {
  readonly size: number;
  /** The question closest to the cluster's centre: a good canonical question for a new entry. */
  readonly representative: GapQuestion;
  /** Up to `examples` members, closest first. */
  readonly examples: readonly GapQuestion[];
  readonly members: readonly GapQuestion[];
  /** The words the cluster is about, heaviest first. */
  readonly terms: readonly string[];
}

type Vector = Map<string, number>;

function terms(text: string): string[] {
  return normalize(text)
    .content.map((t) => t.text)
    .filter((w) => !FUNCTION_WORDS.has(w) && w.length > 1);
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * How much a word says about a topic. Pass the knowledge base's own weights (common customs words such as "hải quan"
 * or "thủ tục" weigh little, "than đá" much): weights taken from the gap questions themselves would do the
 * opposite, and split every big group.
 */
export type WordWeight = (word: string) => number;

/**
 * Groups similar questions: weighted vectors over their content words and leader clustering on cosine similarity,
 * biggest groups first. Deterministic: questions are taken oldest first.
 */
export function clusterGaps(questions: readonly GapQuestion[], weight: WordWeight, threshold = 0.4, examples = 5): GapCluster[] {
  const docs = [...questions].sort((a, b) => a.at - b.at).map((q) => ({ q, words: terms(q.text) }));
  const vectors = docs.map((d) => {
    const v: Vector = new Map();
    for (const w of d.words) v.set(w, (v.get(w) ?? 0) + weight(w));
    return v;
  });
  const clusters: Array<{ centroid: Vector; members: number[] }> = [];
  vectors.forEach((v, i) => {
    let best = -1;
    let bestSim = threshold;
    clusters.forEach((c, j) => {
      const sim = cosine(v, c.centroid);
      if (sim >= bestSim) {
        best = j;
        bestSim = sim;
      }
    });
    if (best < 0) {
      clusters.push({ centroid: new Map(v), members: [i] });
      return;
    }
    const c = clusters[best]!;
    c.members.push(i);
    for (const [k, w] of v) c.centroid.set(k, (c.centroid.get(k) ?? 0) + w);
  });
  return clusters
    .map((c) => {
      const ranked = c.members.map((i) => ({ i, sim: cosine(vectors[i]!, c.centroid) })).sort((a, b) => b.sim - a.sim);
      const members = ranked.map((r) => docs[r.i]!.q);
      return {
        size: members.length,
        representative: members[0]!,
        examples: members.slice(0, examples),
        members,
        terms: [...c.centroid].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k]) => k),
      };
    })
    .sort((a, b) => b.size - a.size || b.representative.at - a.representative.at);
}
