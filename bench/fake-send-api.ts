import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Graph API as the webhook benchmark needs it: answers every send after `delayMs` (Meta takes about 100 ms) and
 * counts the replies. Plain node:http, no body parsing beyond telling a reply from a typing indicator: in production
 * Meta's servers do this work, not ours, so the stand-in sharing our two cores should cost as little as it can (the
 * tests' FakeGraph, which records and parses every request, cost 0.6 ms of CPU per message).
 */
export class FakeSendApi {
  url = '';
  /** How long a call takes to answer. */
  delayMs = 0;
  /** Replies received (typing indicators and profile lookups not counted). */
  replies = 0;
  /** When the last reply arrived (epoch ms): the end of a run. */
  lastAt = 0;
  private server: http.Server | null = null;
  private sent = 0;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        // A profile lookup (GET /vX/<psid>): the name shown to officers.
        const answer = req.method === 'GET' ? '{"first_name":"An","last_name":"Nguyễn"}' : this.answerSend(body);
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(answer), this.delayMs);
      });
    });
    this.server.keepAliveTimeout = 130_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private answerSend(body: string): string {
    if (!body.includes('"sender_action"')) {
      this.replies++;
      this.lastAt = Date.now();
    }
    return `{"recipient_id":"1","message_id":"m_sent_${++this.sent}"}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
