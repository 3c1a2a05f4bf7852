import { FUNCTION_WORDS } from '../matching/lexicon.js';
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
/** A question *about* reaching someone ("làm sao gặp cán bộ", "số điện thoại cán bộ") is an FAQ question. */
const HOW_TO_REACH = [
  /\b(lam sao|lam the nao|cach|muon biet cach)( de)? (gap|lien he|noi chuyen|ket noi)\b/,
  /\b(gap|lien he|noi chuyen voi) (truc tiep )?(can bo|nhan vien|tu van vien|nguoi)( \w+)? (o dau|the nao|nhu the nao|bang cach nao|luc nao|khi nao)\b/,
  /\b(so dien thoai|dia chi|email|lich tiep)\b/,
];

const HUMAN_WORDS = new Set(HUMAN_PHRASES.flatMap((p) => p.split(' ')).concat(['cho', 'muon', 'can', 'xin', 'duoc', 'di', 'luon', 'ngay']));

/** The words of a request for a person that are not the request itself: empty for "cho em gặp cán bộ với". */
export function questionBesidesRequest(n: Normalized): string[] {
  return n.content.map((w) => w.text).filter((w) => !HUMAN_WORDS.has(w) && !FUNCTION_WORDS.has(w));
}

export function isHumanRequest(n: Normalized): boolean {
  const folded = n.words.map((w) => w.text).join(' ');
  if (!HUMAN_PHRASES.some((p) => has(folded, p))) return false;
  return !HOW_TO_REACH.some((p) => p.test(folded));
}

/** "mới", "mới nhất", "vừa ban hành", "sắp có hiệu lực" (folded). */
const NEWNESS = ['moi nhat', 'moi ban hanh', 'vua ban hanh', 'sap co hieu luc', 'moi co hieu luc', 'moi'];
/** What kind of thing is new: the law. */
const LAW_WORDS = ['van ban phap luat', 'van ban', 'quy dinh', 'phap luat', 'luat', 'nghi dinh', 'thong tu', 'nghi quyet', 'chinh sach'];
/**
 * Words a "what's new" question may carry besides those. Anything else makes it another question: a topic ("nghị
 * định xử phạt mới nhất" is the penalties entry's) or how to be told ("đăng ký nhận tin văn bản mới", "làm sao biết
 * thông tư mới" are the subscription entry's).
 */
const NEWS_GENERIC = new Set([
  'co', 'khong', 'nao', 'gi', 'nhung', 'cac', 'the', 've', 'cua', 'trong', 'nganh', 'hai', 'quan', 'thu', 'tuc',
  'xuat', 'nhap', 'khau', 'hien', 'nay', 'gan', 'day', 'thang', 'nam', 'tuan', 'da', 'chua', 'ra', 'va', 'xem',
  'danh', 'sach', 'liet', 'ke', 'duoc', 'la', 'ban', 'hanh', 'hieu', 'luc', 'sap', 'vua', 'nhat', 'moi', 'ap', 'dung',
  'ah', 'a', 'ad', 'oi', 'nhe', 'vay', 'ko', 'k', 'j',
]);

/** "có văn bản mới không", "quy định mới về hải quan", "luật mới": a question about what changed in the law lately. */
export function isWhatsNewQuestion(n: Normalized): boolean {
  const folded = n.content.map((w) => w.text).join(' ');
  if (!NEWNESS.some((p) => has(folded, p)) || !LAW_WORDS.some((p) => has(folded, p))) return false;
  const words = folded.split(' ');
  const phrases = [...LAW_WORDS, ...NEWNESS].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
  for (let i = 0; i < words.length; ) {
    const phrase = phrases.find((p) => p.every((w, k) => words[i + k] === w));
    if (phrase) i += phrase.length;
    else if (NEWS_GENERIC.has(words[i]!) || /^\d{4}$/.test(words[i]!)) i++;
    else return false;
  }
  return true;
}

export function analyse(text: string): { normalized: Normalized; smallTalk: SmallTalk | null; humanRequest: boolean; whatsNew: boolean } {
  const normalized = normalize(text);
  return { normalized, smallTalk: detectSmallTalk(normalized), humanRequest: isHumanRequest(normalized), whatsNew: isWhatsNewQuestion(normalized) };
}
