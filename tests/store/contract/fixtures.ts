import type { ChannelName } from '../../../src/conversation/types.js';
import type { DeliveryFailure, FeedbackRecord, Session, StaffUser, Ticket, TicketReply } from '../../../src/store/schema.js';

/** Records for the contract suites: complete, valid, and distinguishable. */

export function ticketFor(id: number, over: Partial<Ticket> = {}): Ticket {
  return {
    id,
    channel: 'messenger',
    userId: 'psid-1',
    displayName: 'Nguyễn Văn An',
    question: 'Thủ tục nhập khẩu hàng mẫu thế nào?',
    reason: 'no-answer',
    transcript: [{ at: 1_000, from: 'user', text: 'Thủ tục nhập khẩu hàng mẫu thế nào?' }],
    candidates: [{ id: 'hang-mau', score: 0.4, question: 'Hàng mẫu nhập khẩu' }],
    status: 'open',
    assignee: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    firstResponseAt: null,
    slaDueAt: 5_000,
    lastUserMessageAt: 1_000,
    lastOfficerReplyAt: null,
    botResumedAt: null,
    closedAt: null,
    unread: true,
    notes: [],
    replies: [],
    ...over,
  };
}

export function reply(over: Partial<TicketReply> = {}): TicketReply {
  return { id: 'r1', at: 2_000, by: 'officer-1', text: 'Anh/chị mang tờ khai đến cửa khẩu.', entryId: null, status: 'sent', attempts: 1, error: null, sentAt: 2_000, messageIds: ['m1'], deliveredAt: null, seenAt: null, ...over };
}

export function staff(id: string, username: string, over: Partial<StaffUser> = {}): StaffUser {
  return { id, username, displayName: `Cán bộ ${username}`, role: 'officer', passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', createdAt: 1_000, disabled: false, ...over };
}

export function session(id: string, over: Partial<Session> = {}): Session {
  return { id, userId: 'officer-1', csrf: `csrf-${id}`, createdAt: 0, lastSeenAt: 0, expiresAt: 10_000, ...over };
}

export function feedbackOf(channel: ChannelName, userId: string, at: number, helpful = true): FeedbackRecord {
  return { at, channel, userId, entryId: 'thoi-gian-lam-viec', question: `câu hỏi lúc ${at}`, helpful };
}

export function failureOf(channel: ChannelName, userId: string, at: number): DeliveryFailure {
  return { at, channel, userId, text: `trả lời lúc ${at}`, kind: 'platform', platformMessage: '(#10) outside the allowed window', code: '10' };
}
