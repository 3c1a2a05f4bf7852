import { normalize, type Normalized } from '../matching/normalize.js';

export type SmallTalk = 'greeting' | 'thanks' | 'ack' | 'bye' | 'identity' | 'empty';

/** Words that make up small talk once fillers are gone (folded). */
const SMALLTALK_WORDS = new Set([
  'xin', 'chao', 'hi', 'hello', 'alo', 'cam', 'on', 'ok', 'uh', 'vang', 'da', 'roi', 'hieu', 'biet', 'tot', 'qua',
  'nhieu', 'lam', 'haha', 'hihi', 'hehe', 'tam', 'biet', 'bye', 'good', 'hay', 'thank', 'thanks', 'duoc', 'co',
  'ai', 'khong', 'day', 'o', 'do', 'chuc', 'ngay', 'buoi', 'sang', 'chieu', 'toi', 'moi', 'nguoi', 'ca', 'nha',
  'nhe', 'ban', 'la', 'gi', 'bot', 'may', 'tu', 'dong', 'tra', 'loi', 'tu_dong', 'the', 'a', 'oi', 'ad', 'hoi',
  'cho', 'em', 'anh', 'chi', 'minh', 'toi', 'e', 'oke', 'dung', 'roi', 'vay', 'that', 'ha', 'hen', 'ne', 'nhi',
]);

const has = (folded: string, phrase: string) => ` ${folded} `.includes(` ${phrase} `);

function classify(folded: string): SmallTalk {
  if (['ban la ai', 'la ai', 'bot', 'may la ai', 'tu dong', 'ai tra loi', 'nguoi hay may'].some((p) => has(folded, p))) {
    return 'identity';
  }
  if (['cam on', 'thank', 'thanks'].some((p) => has(folded, p))) return 'thanks';
  if (['tam biet', 'bye', 'chao nhe'].some((p) => has(folded, p))) return 'bye';
  if (['xin chao', 'chao', 'alo', 'hi', 'hello', 'co ai'].some((p) => has(folded, p))) return 'greeting';
  if (['ok', 'uh', 'vang', 'da', 'hieu', 'duoc', 'dung', 'roi'].some((p) => has(folded, p))) return 'ack';
  return 'empty';
}

/**
 * Small talk: greetings, thanks, "ok", emoji, "bạn là ai" — messages with no content word beyond these. A
 * greeting followed by a real question is not small talk: the question gets answered.
 */
export function detectSmallTalk(n: Normalized): SmallTalk | null {
  const folded = n.words.map((w) => w.text).join(' ');
  if (n.content.length === 0) return classify(folded);
  if (n.content.every((w) => SMALLTALK_WORDS.has(w.text)) && n.content.length <= 6) return classify(folded);
  return null;
}

/** Ways of asking for a person (folded, fillers kept). */
const HUMAN_PHRASES = [
  'gap can bo', 'gap truc tiep can bo', 'chuyen can bo', 'chuyen cho can bo', 'noi chuyen voi can bo',
  'noi chuyen voi nguoi', 'tu van vien', 'nguoi that', 'nguoi tu van', 'can bo tu van', 'can bo ho tro',
  'gap nhan vien', 'nhan vien ho tro', 'nhan vien tu van', 'can nguoi ho tro', 'ket noi can bo', 'gap nguoi',
  'gap admin', 'gap ad', 'chat voi nguoi', 'tro chuyen voi can bo', 'can bo tra loi', 'hoi can bo',
  'hoi truc tiep can bo', 'chuyen nguoi that', 'gap tu van',
];
/** A request *about* reaching someone ("làm sao gặp cán bộ", "số điện thoại cán bộ") is an FAQ question. */
const HOW_TO = ['lam sao', 'lam the nao', 'cach', 'o dau', 'the nao', 'so dien thoai', 'dia chi', 'email', 'lich'];

export function isHumanRequest(n: Normalized): boolean {
  const folded = n.words.map((w) => w.text).join(' ');
  if (!HUMAN_PHRASES.some((p) => has(folded, p))) return false;
  return !HOW_TO.some((p) => has(folded, p));
}

export function analyse(text: string): { normalized: Normalized; smallTalk: SmallTalk | null; humanRequest: boolean } {
  const normalized = normalize(text);
  return { normalized, smallTalk: detectSmallTalk(normalized), humanRequest: isHumanRequest(normalized) };
}
