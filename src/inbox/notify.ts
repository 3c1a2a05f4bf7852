import type { Transporter } from 'nodemailer';
import type { Logger } from '../log.js';
import type { Ticket } from '../store/schema.js';

export interface NotifierOptions {
  readonly smtpUrl: string | null;
  readonly to: readonly string[];
  readonly from: string;
  /** New tickets within this window go out in one email. */
  readonly batchMs: number;
  readonly publicUrl: string | null;
  readonly logger: Logger;
}

const CHANNEL_NAMES: Readonly<Record<string, string>> = { messenger: 'Messenger', zalo: 'Zalo', web: 'trang thử nghiệm', cli: 'dòng lệnh' };

/**
 * Emails officers about new tickets when SMTP is configured. Tickets are batched: the first one starts a timer and
 * everything that arrives before it fires goes out in one message, so a burst does not send fifty emails.
 */
export class Notifier {
  /** Loaded only when email is configured: nodemailer costs memory an office without SMTP should not pay. */
  private readonly transport: Promise<Transporter> | null;
  private pending: Ticket[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly o: NotifierOptions) {
    const url = o.smtpUrl;
    this.transport = url && o.to.length > 0 ? import('nodemailer').then((m) => m.default.createTransport(url)) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  ticketCreated(ticket: Ticket): void {
    if (!this.transport) return;
    this.pending.push(ticket);
    this.timer ??= setTimeout(() => void this.flush(), this.o.batchMs);
  }

  /** Sends what is pending now (also used at shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.transport) return this.sending;
    const transport = this.transport;
    this.sending = this.sending.then(async () => {
      try {
        await (await transport).sendMail({ from: this.o.from, to: [...this.o.to], subject: subject(batch), text: body(batch, this.o.publicUrl) });
        this.o.logger.info({ tickets: batch.map((t) => t.id) }, 'officers notified by email');
      } catch (err) {
        this.o.logger.error({ err: (err as Error).message, tickets: batch.map((t) => t.id) }, 'notification email failed');
      }
    });
    return this.sending;
  }
}

function subject(batch: readonly Ticket[]): string {
  return batch.length === 1 ? `[Hải quan Hoành Mô] Câu hỏi mới #${batch[0]!.id} cần cán bộ trả lời` : `[Hải quan Hoành Mô] ${batch.length} câu hỏi mới cần cán bộ trả lời`;
}

function body(batch: readonly Ticket[], publicUrl: string | null): string {
  const lines = batch.map((t) => {
    const link = publicUrl ? `\n  ${publicUrl}/inbox/tickets/${t.id}` : '';
    return `• #${t.id} (${CHANNEL_NAMES[t.channel] ?? t.channel}${t.displayName ? `, ${t.displayName}` : ''}): ${t.question.slice(0, 200)}${link}`;
  });
  return [`Có ${batch.length} câu hỏi mới được chuyển từ trợ lý tự động:`, '', ...lines, '', publicUrl ? `Hộp thư cán bộ: ${publicUrl}/inbox` : 'Mở hộp thư cán bộ tại /inbox trên máy chủ của trợ lý.'].join('\n');
}
