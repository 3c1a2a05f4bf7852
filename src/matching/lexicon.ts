/**
 * The words of Vietnamese chat that normalisation rewrites or ignores. All keys are folded (no diacritics,
 * lower-case, đ→d). Data only: normalize.ts applies it.
 */

/**
 * Chat abbreviations and domain shorthands → folded words. Applied only to tokens typed without tone or vowel
 * marks, so a real word that happens to fold to the same letters ("tô", "cô") is never rewritten.
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  // negation / question particles
  ko: 'khong', k: 'khong', kh: 'khong', khg: 'khong', hok: 'khong', hk: 'khong', khum: 'khong',
  hem: 'khong', k0: 'khong', kp: 'khong phai', hong: 'khong',
  dc: 'duoc', dcj: 'duoc', dx: 'duoc', j: 'gi', ji: 'gi', gj: 'gi',
  bn: 'bao nhieu', bnh: 'bao nhieu', bnhieu: 'bao nhieu', bnhiu: 'bao nhieu',
  ntn: 'nhu the nao', ntnao: 'nhu the nao', tn: 'the nao',
  bh: 'bao gio', bgio: 'bao gio', bjo: 'bao gio', bjh: 'bao gio', lm: 'lam', trc: 'truoc', ms: 'moi', r: 'roi',
  oy: 'roi', vs: 'voi', ns: 'noi', ng: 'nguoi', ngta: 'nguoi ta', nta: 'nguoi ta', nc: 'nuoc', kq: 'ket qua',
  // customs and trade shorthands
  hq: 'hai quan', cqhq: 'co quan hai quan', hqck: 'hai quan cua khau', dn: 'doanh nghiep', dny: 'doanh nghiep',
  cty: 'cong ty', cti: 'cong ty', xnk: 'xuat nhap khau', xk: 'xuat khau', nk: 'nhap khau',
  tntx: 'tam nhap tai xuat', tnxt: 'tam nhap tai xuat', tx: 'tai xuat',
  tq: 'trung quoc', trungquoc: 'trung quoc', vn: 'viet nam', mst: 'ma so thue',
  sxxk: 'san xuat xuat khau', sx: 'san xuat', gc: 'gia cong', ktcn: 'kiem tra chuyen nganh',
  kttt: 'kiem tra thuc te', ktsth: 'kiem tra sau thong quan', stq: 'sau thong quan',
  dvc: 'dich vu cong', dvcc: 'dich vu cong', lh: 'lien he', ck: 'cua khau', hh: 'hang hoa', tthq: 'thu tuc hai quan',
  ttdb: 'tieu thu dac biet', bvmt: 'bao ve moi truong', nd: 'nghi dinh', kdtv: 'kiem dich thuc vat',
  kddv: 'kiem dich dong vat', attp: 'an toan thuc pham', vsattp: 've sinh an toan thuc pham',
  dkkd: 'dang ky kinh doanh', gpkd: 'giay phep kinh doanh', vb: 'van ban', vbpl: 'van ban phap luat',
  ib: 'nhan tin', inbox: 'nhan tin', sdt: 'so dien thoai', dthoai: 'dien thoai', dienthoai: 'dien thoai',
  dt: 'dien thoai', stk: 'so tai khoan', ndt: 'nhan dan te', dola: 'usd', dollar: 'usd', h: 'gio',
  tr: 'trieu', hscode: 'ma hs', cont: 'container', conts: 'container', cnt: 'container',
  pkd: 'phong kinh doanh', ptvt: 'phuong tien van tai', oto: 'o to', xetai: 'xe tai', hoanhmo: 'hoanh mo',
  haiquan: 'hai quan', thutuc: 'thu tuc', tokhai: 'to khai', thongquan: 'thong quan',
  // weekdays
  t2: 'thu hai', t3: 'thu ba', t4: 'thu tu', t5: 'thu nam', t6: 'thu sau', t7: 'thu bay', cn: 'chu nhat',
  // pronouns typed short
  e: 'em', mk: 'minh', mik: 'minh', mh: 'minh', mjk: 'minh', ak: 'a', ah: 'a', z: 'vay', dzay: 'vay', zay: 'vay',
  ok: 'ok', oke: 'ok', okie: 'ok', okay: 'ok', oki: 'ok', okela: 'ok', uk: 'uh', ukm: 'uh',
  um: 'uh', umk: 'uh', thank: 'cam on', thanks: 'cam on', tks: 'cam on', thx: 'cam on',
  cmon: 'cam on', camon: 'cam on', hi: 'xin chao', hello: 'xin chao', helo: 'xin chao',
};

/** Numbers that name weekdays after "thứ": "thứ 7" → "thu bay". */
export const WEEKDAY_NUMBERS: Readonly<Record<string, string>> = {
  '2': 'hai', '3': 'ba', '4': 'tu', '5': 'nam', '6': 'sau', '7': 'bay',
};

/**
 * Multi-word rewrites on folded tokens, applied left to right after abbreviations (so "e" is already "em").
 * The third element marks rules that apply only when the first word was typed without diacritics:
 * "co form e" is a C/O, "có mẫu" is not.
 */
export const PHRASE_REWRITES: ReadonlyArray<readonly [string, string, 'plain-first'?]> = [
  ['thue gia tri gia tang', 'thue gtgt'],
  ['gia tri gia tang', 'gtgt'],
  ['do la my', 'usd'],
  ['do la', 'usd'],
  ['do my', 'usd'],
  ['co form em', 'c_o form_e', 'plain-first'],
  ['co mau em', 'c_o form_e', 'plain-first'],
  ['co form', 'c_o form', 'plain-first'],
  ['c_o mau em', 'c_o form_e'],
  ['c_o form em', 'c_o form_e'],
  ['form em', 'form_e'],
  ['giay chung nhan xuat xu', 'c_o'],
  ['chung nhan xuat xu', 'c_o'],
  ['cuoi tuan', 'thu bay chu nhat'],
  ['cong ty', 'cong_ty'],
];

/**
 * Politeness, address and chat particles that never carry content (folded). Removed only when typed
 * without diacritics or with the accents listed in FILLER_ACCENTED, so "chi phí" or "buổi tối" stay.
 */
export const FILLERS_UNACCENTED: ReadonlySet<string> = new Set([
  'a', 'ad', 'admin', 'oi', 'nhe', 'nha', 'nhen', 'ha', 'hen', 'ne', 'vay', 'nhi', 'uh', 'em', 'anh', 'ak',
  'ah', 'shop', 'minh', 'tui', 'ui', 'alo', 'voi', 'giup', 'dum', 'xin',
]);

/** Accented spellings of fillers: removed whatever else the message contains. */
export const FILLER_ACCENTED: ReadonlySet<string> = new Set([
  'ạ', 'à', 'ơi', 'nhé', 'nha', 'nhá', 'hả', 'hen', 'nè', 'vậy', 'nhỉ', 'ừ', 'ừm', 'em', 'anh', 'chị', 'mình',
  'tôi', 'tui', 'tớ', 'bạn', 'ad', 'admin', 'shop', 'alo', 'dạ', 'với', 'giúp', 'dùm', 'xin', 'hỏi',
]);

/**
 * Filler phrases (folded). A token sequence matching one of these is removed as a whole, before single
 * fillers, so "cho em hỏi" disappears but "cho" in "cho phép" is kept.
 */
export const FILLER_PHRASES: ReadonlyArray<string> = [
  'cho em hoi', 'cho minh hoi', 'cho toi hoi', 'cho tui hoi', 'cho anh hoi', 'cho chi hoi', 'cho to hoi',
  'cho hoi', 'xin hoi', 'em muon hoi', 'minh muon hoi', 'toi muon hoi', 'muon hoi', 'can hoi', 'hoi chut',
  'hoi xiu', 'cho em xin', 'cho minh xin', 'cho toi xin', 'cho xin', 'lam on', 'vui long', 'giup em voi',
  'giup minh voi', 'giup voi', 'ad oi', 'admin oi', 'shop oi', 'ban oi', 'hai quan oi', 'cho em biet',
  'cho minh biet', 'cho biet', 'xin cam on', 'em cam on', 'cam on',
  // Who is asking, as northern chat says it ("bọn em", "nhà em", "bên mình"): the asker, not the topic.
  'bon em', 'bon minh', 'bon toi', 'bon anh', 'chung em', 'chung toi', 'chung minh', 'ben em', 'ben minh', 'ben toi',
  'nha em', 'nha minh',
];

/**
 * Function words of Vietnamese, as spelled. They carry grammar, not topic: a message is never judged on them.
 * Known to the knowledge base, they weigh at most FUNCTION_WORD_WEIGHT; unknown, they weigh nothing (an unknown
 * word otherwise counts as heavily as the rarest word, which would sink every long, chatty question). Words that
 * fold onto a domain word are left out on purpose: đỏ (luồng đỏ), quà, bảo (lãnh), máy, tái (xuất), trước
 * (xác định trước), sau (thông quan), ngoại (tệ), mới (văn bản mới), thời (hạn)...
 */
export const FUNCTION_SPELLINGS: ReadonlySet<string> = new Set([
  'của', 'có', 'và', 'rồi', 'vậy', 'còn', 'gì', 'nữa', 'để', 'không', 'thì', 'là', 'mà', 'được', 'bị', 'cho', 'với',
  'các', 'những', 'này', 'kia', 'khi', 'nếu', 'nào', 'thế', 'như', 'ra', 'vào', 'lên', 'xuống', 'đi', 'về', 'đã',
  'đang', 'sẽ', 'cũng', 'vẫn', 'rất', 'làm', 'hơn', 'nhất', 'sao', 'ai', 'đâu', 'ở', 'từ', 'đến', 'tới', 'trong',
  'trên', 'dưới', 'bằng', 'theo', 'vì', 'nên', 'hay', 'hoặc', 'muốn', 'cần', 'phải', 'chưa', 'đây', 'luôn', 'lại',
  'thêm', 'cả', 'một', 'nhiều', 'ít', 'mất', 'xin', 'giúp', 'chứ', 'nhé', 'nha', 'à', 'ạ', 'ơi', 'nghe', 'lúc',
  'người', 'bên', 'phía', 'mình', 'em', 'anh', 'bạn', 'nó', 'tui', 'ad', 'nhỉ', 'nè', 'tôi',
]);

/** The same words folded, for messages typed without diacritics, plus joined phrases of the same kind. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  ...[...FUNCTION_SPELLINGS].map((w) => w.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd')),
  // The asker, not the topic: "công ty tôi", "cty e" open half of all questions.
  'cong_ty',
]);

export const FUNCTION_WORD_WEIGHT = 0.4;
