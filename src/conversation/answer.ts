import { answerTextOn } from '../knowledge/dated.js';
import type { FaqEntry } from '../knowledge/types.js';
import { addDays } from '../days.js';
import { TEXTS } from './texts.js';

/** What follows every FAQ answer; see ANSWER_FOOTER and ANSWER_DISCLAIMER in config. */
export interface AnswerFooter {
  readonly legalBasis: boolean;
  readonly reviewedOn: boolean;
  readonly links: boolean;
  /** A global line such as "Thông tin mang tính tham khảo…"; empty for none. */
  readonly disclaimer: string;
}

export const DEFAULT_FOOTER: AnswerFooter = { legalBasis: true, reviewedOn: true, links: true, disclaimer: '' };

/** dd/mm/yyyy, as Vietnamese readers write dates. */
export function vietnameseDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The full text sent for an FAQ answer on a day (YYYY-MM-DD, Vietnam time): the question it answers, the answer as
 * it reads that day (dated blocks outside their dates left out), its legal basis and links.
 */
export function composeAnswer(entry: FaqEntry, footer: AnswerFooter, day: string): string {
  const parts = [`${TEXTS.answerQuestionPrefix}${entry.question}`, answerTextOn(entry.answerParts, day)];
  const tail: string[] = [];
  if (footer.links && entry.links.length > 0) {
    tail.push([TEXTS.links, ...entry.links.map((l) => `• ${l.title}: ${l.url}`)].join('\n'));
  }
  const meta: string[] = [];
  if (footer.legalBasis && entry.legalBasis.length > 0) meta.push(`${TEXTS.legalBasis}${entry.legalBasis.join('; ')}.`);
  if (footer.reviewedOn && entry.reviewedOn) meta.push(`${TEXTS.reviewedOn}${vietnameseDate(entry.reviewedOn)}.`);
  if (footer.disclaimer.trim() !== '') meta.push(footer.disclaimer.trim());
  if (meta.length > 0) tail.push(meta.join('\n'));
  return [...parts, ...tail].join('\n\n');
}

/** Why an entry is not served on a day (outside valid_from / valid_until), for the officer who gets the question. */
export function withheldReason(entry: FaqEntry, day: string): string {
  const when =
    entry.validUntil && entry.validUntil < day
      ? `hết hiệu lực từ ${vietnameseDate(addDays(entry.validUntil, 1))}`
      : `chưa có hiệu lực (từ ${vietnameseDate(entry.validFrom ?? day)})`;
  return `Câu trả lời có sẵn "${entry.question}" (${entry.id}) ${when} nên trợ lý không dùng để trả lời tự động.`;
}
