import { legalNews, NEWS_WINDOW_DAYS, type LegalNewsItem } from '../knowledge/news.js';
import type { FaqEntry, KnowledgeBase } from '../knowledge/types.js';
import { displayValue } from '../knowledge/variables.js';
import { vietnameseDate } from './answer.js';
import { encodePayload } from './payloads.js';
import { fill, TEXTS } from './texts.js';
import type { Choice } from './types.js';

/** Topics offered under the list: enough to pick from, few enough for one screen (Zalo shows 5 buttons). */
const MAX_TOPICS = 8;

const CHANGE_WORDS = { amended: 'sửa đổi', replaced: 'thay thế', repealed: 'bãi bỏ' } as const;

/**
 * "Có quy định mới không?": the register's documents that took effect in the last 90 days and those taking effect
 * (or ending) in the next 90, one line each with its date and the topics it touches, numbered like the choices
 * that follow — an invitation to ask about one. Only to the user who asked: never a broadcast.
 */
export function whatsNew(base: KnowledgeBase, day: string): { text: string; choices: Choice[] } {
  const news = legalNews(base.entries, base.legal, day);
  const topics: FaqEntry[] = [];
  for (const item of [...news.recent, ...news.upcoming]) {
    for (const e of item.entries) if (!topics.includes(e) && topics.length < MAX_TOPICS) topics.push(e);
  }
  const line = (i: LegalNewsItem) => {
    const changes = i.changes.map((c) => `${CHANGE_WORDS[c.kind]} ${c.articles.length > 0 ? `${c.articles.join(', ')} của ` : ''}${c.number}`);
    const about = [i.title, ...changes].filter(Boolean).join('; ');
    const refs = i.entries.map((e) => topics.indexOf(e) + 1).filter((n) => n > 0);
    const what = i.kind === 'expires' ? TEXTS.newsExpires : '';
    return `• ${vietnameseDate(i.day)}: ${i.number}${about ? ` — ${about}` : ''}${what}.${refs.length > 0 ? ` ${TEXTS.newsTopics}${refs.join(', ')}.` : ''}`;
  };
  const window = { days: String(NEWS_WINDOW_DAYS), day: vietnameseDate(day) };
  if (news.recent.length === 0 && news.upcoming.length === 0) {
    return { text: fill(TEXTS.newsNone, { ...window, portal: displayValue(base.variables['web.customs_portal'] ?? 'https://www.customs.gov.vn') }), choices: [] };
  }
  const sections = [
    fill(TEXTS.newsTitle, window),
    news.recent.length > 0 ? [fill(TEXTS.newsRecent, window), ...news.recent.map(line)].join('\n') : '',
    news.upcoming.length > 0 ? [fill(TEXTS.newsUpcoming, window), ...news.upcoming.map(line)].join('\n') : '',
    topics.length > 0 ? TEXTS.newsAsk : TEXTS.newsAskFree,
  ];
  return {
    text: sections.filter((s) => s !== '').join('\n\n'),
    choices: topics.map((e) => ({ title: e.question, payload: encodePayload({ kind: 'faq', id: e.id }) })),
  };
}
