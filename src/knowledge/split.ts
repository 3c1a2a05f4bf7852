/** Messenger and Zalo both cap a text message at 2,000 characters. */
export const MAX_MESSAGE_LENGTH = 2000;

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });
const sentences = new Intl.Segmenter('vi', { granularity: 'sentence' });

/**
 * Splits a long chat text into messages of at most `max` UTF-16 code units (the stricter way to count), cutting at
 * paragraph boundaries first, then lines, then sentences, then words; a single over-long word (a URL) is cut
 * between graphemes, so an emoji or a letter with its accents is never broken.
 */
export function splitMessage(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed === '' ? [] : [trimmed];
  return pack(trimmed.split(/\n{2,}/), '\n\n', max, (paragraph) =>
    pack(paragraph.split('\n'), '\n', max, (line) =>
      pack(sentenceList(line), ' ', max, (sentence) => pack(sentence.split(/\s+/), ' ', max, (word) => cutWord(word, max))),
    ),
  );
}

/** Greedily joins pieces with `separator` into chunks ≤ max; a piece too long on its own goes to `smaller`. */
function pack(pieces: string[], separator: string, max: number, smaller: (piece: string) => string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') chunks.push(current.trim());
    current = '';
  };
  for (const piece of pieces.map((p) => p.trim()).filter((p) => p !== '')) {
    if (piece.length > max) {
      flush();
      chunks.push(...smaller(piece));
      continue;
    }
    const joined = current === '' ? piece : current + separator + piece;
    if (joined.length <= max) {
      current = joined;
    } else {
      flush();
      current = piece;
    }
  }
  flush();
  return chunks;
}

function sentenceList(text: string): string[] {
  return [...sentences.segment(text)].map((s) => s.segment);
}

function cutWord(word: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const { segment } of graphemes.segment(word)) {
    if (current.length + segment.length > max) {
      out.push(current);
      current = '';
    }
    current += segment;
  }
  if (current !== '') out.push(current);
  return out;
}
