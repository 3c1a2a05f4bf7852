import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

export interface GraphRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: Record<string, unknown>;
}

type Responder = (req: GraphRequest) => { status: number; body: unknown };

/**
 * A stand-in for graph.facebook.com on localhost: records every request and answers like Meta (success or the
 * error objects queued by the test).
 */
export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  private readonly queue: Responder[] = [];
  private server: Server | null = null;
  url = '';
  /** How long the Send API takes to answer (a slow Meta, for backlog and crash tests). */
  delayMs = 0;
  /** Most sends (typing included) in flight at once, as the fake saw them. */
  maxInFlight = 0;
  /** When the last request arrived (epoch ms): the end of a run, for benchmarks. */
  lastAt = 0;
  private inFlight = 0;

  /** The next message sends answer these, in order (then success again). */
  failNext(...errors: Array<{ status: number; error: Record<string, unknown> }>): void {
    for (const e of errors) this.queue.push(() => ({ status: e.status, body: { error: e.error } }));
  }

  get messages(): GraphRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/me/messages') && !('sender_action' in r.body));
  }

  texts(userId?: string): string[] {
    return this.messages
      .filter((r) => userId === undefined || (r.body.recipient as { id: string }).id === userId)
      .map((r) => (r.body.message as { text: string }).text);
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '5mb' }));
    let n = 0;
    app.post('/:version/me/messages', async (req, res) => {
      const r: GraphRequest = { path: req.path, query: req.query as Record<string, string>, body: req.body };
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      this.inFlight--;
      this.requests.push(r);
      this.lastAt = Date.now();
      if ('sender_action' in req.body) return void res.json({ recipient_id: req.body.recipient.id });
      const responder = this.queue.shift();
      if (responder) {
        const { status, body } = responder(r);
        return void res.status(status).json(body);
      }
      res.json({ recipient_id: req.body.recipient.id, message_id: `m_sent_${++n}` });
    });
    app.post('/:version/me/messenger_profile', (req, res) => {
      this.requests.push({ path: req.path, query: req.query as Record<string, string>, body: req.body });
      res.json({ result: 'success' });
    });
    app.get('/:version/:psid', (req, res) => {
      this.requests.push({ path: req.path, query: req.query as Record<string, string>, body: {} });
      res.json({ first_name: 'An', last_name: 'Nguyễn', id: req.params.psid });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
