import type { MatchIndex } from '../matching/index.js';
import { FUNCTION_WORDS } from '../matching/lexicon.js';
import { normalize } from '../matching/normalize.js';
import type { Schema } from '../store/schema.js';

/** A question the FAQ did not answer well: handed over to officers, or marked "Chưa đúng 👎". */
export interface GapQuestion {
  readonly text: string;
  readonly at: number;
  readonly source: 'ticket' | 'feedback';
  /** Ticket number or FAQ entry id, for the link. */
  readonly ref: string;
  /** Who asked ("channel:userId"), so that summaries can keep only words several people used. */
  readonly user: string;
}

/** The questions of [from, to) that the FAQ did not answer: tickets opened, and answers marked 👎. */
export function gapQuestionsIn(data: Readonly<Pick<Schema, 'tickets' | 'feedback'>>, from: number, to: number): GapQuestion[] {
  return [
    ...data.tickets
      .filter((t) => t.createdAt >= from && t.createdAt < to && !t.erasedAt)
      .map((t) => ({ text: t.question, at: t.createdAt, source: 'ticket' as const, ref: String(t.id), user: `${t.channel}:${t.userId}` })),
    ...data.feedback
      .filter((f) => !f.helpful && f.at >= from && f.at < to && f.question.trim() !== '')
      .map((f) => ({ text: f.question, at: f.at, source: 'feedback' as const, ref: f.entryId, user: `${f.channel}:${f.userId}` })),
  ];
}

export interface GapCluster {
  readonly size: number;
  /** The question closest to the cluster's centre: a good canonical question for a new entry. */
  readonly representative: GapQuestion;
  /** Up to `examples` members, closest first. */
  readonly examples: readonly GapQuestion[];
  readonly members: readonly GapQuestion[];
  /** The words the cluster is about, heaviest first, spelled as people most often typed them. */
  readonly terms: readonly string[];
  /** The same words folded (no diacritics): what the vectors are keyed on. */
  readonly keys: readonly string[];
}

type Vector = Map<string, number>;

function tokens(text: string) {
  return normalize(text).content.filter((t) => !FUNCTION_WORDS.has(t.text) && t.text.length > 1);
}

function terms(text: string): string[] {
  return tokens(text).map((t) => t.text);
}

/** The most frequent accented spelling of each folded word in these questions ("than" → "than", "da" → "đá"). */
function spellings(questions: readonly GapQuestion[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const q of questions) {
    for (const t of tokens(q.text)) {
      if (!t.accented) continue;
      const forms = counts.get(t.text) ?? new Map<string, number>();
      forms.set(t.accented, (forms.get(t.accented) ?? 0) + 1);
      counts.set(t.text, forms);
    }
  }
  return new Map([...counts].map(([key, forms]) => [key, [...forms].sort((a, b) => b[1] - a[1])[0]![0]]));
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

/** The knowledge base's idf as a word weight; words it has never seen weigh the most. */
export function knowledgeWordWeight(index: MatchIndex): WordWeight {
  return (w) => {
    const id = index.features.get(w);
    return id === undefined ? index.unknownIdf : index.idf[id]!;
  };
}

/**
 * A cluster as reports show it outside the admin pages: its size and only those words that at least two different
 * people used and that hold no digit, so no name, number or phrase of a single person can come out of it.
 */
export function gapSummary(cluster: GapCluster): { readonly size: number; readonly terms: readonly string[] } {
  const users = new Map<string, Set<string>>();
  for (const q of cluster.members) for (const w of new Set(terms(q.text))) users.set(w, (users.get(w) ?? new Set()).add(q.user));
  return { size: cluster.size, terms: cluster.terms.filter((w, i) => !/\d/.test(w) && (users.get(cluster.keys[i]!)?.size ?? 0) >= 2) };
}

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
      const keys = [...c.centroid].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k]) => k);
      const spelled = spellings(members);
      return {
        size: members.length,
        representative: members[0]!,
        examples: members.slice(0, examples),
        members,
        keys,
        terms: keys.map((k) => spelled.get(k) ?? k),
      };
    })
    .sort((a, b) => b.size - a.size || b.representative.at - a.representative.at);
}
