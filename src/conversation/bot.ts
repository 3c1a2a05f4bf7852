import { EMPTY_STATE, respond, type ConversationState } from './respond.js';
import type { Knowledge } from './knowledge.js';
import type { AnswerFooter } from './answer.js';
import type { DecisionThresholds } from '../matching/decide.js';
import { TEXTS } from './texts.js';
import type { BotResponse, HandoffReason, IncomingMessage, Reply } from './types.js';

type Who = Pick<IncomingMessage, 'channel' | 'userId'>;

/** Where the state of each conversation lives: memory for the terminal tools, the store for the server. */
export interface ConversationStates {
  get(who: Who): Promise<ConversationState | undefined>;
  set(who: Who, state: ConversationState): Promise<void>;
}

export class MemoryConversationStates implements ConversationStates {
  private readonly states = new Map<string, ConversationState>();
  async get(who: Who) {
    return this.states.get(conversationKey(who));
  }
  async set(who: Who, state: ConversationState) {
    this.states.set(conversationKey(who), state);
  }
}

export interface HandoffRequest {
  readonly reason: HandoffReason;
  readonly question: string;
  /** Why the bot did not answer, recorded on the ticket for the officer. */
  readonly detail?: string;
}

/** What the channel knows about a message that the conversation layer does not (web chat: the sender's address). */
export interface HandleContext {
  /** Asked before a new ticket is opened for this message; false: refused (too many from one address). */
  readonly admitTicket?: () => boolean;
  /** The conversation's state when the caller just read it (saves reading it again). */
  readonly state?: ConversationState;
}

/** Turns a hand-off marker into what the user is told (the inbox creates a ticket and returns its number). */
export type HandoffHandler = (message: IncomingMessage, request: HandoffRequest, context: HandleContext) => Promise<Reply[]>;

export const acknowledgeHandoff: HandoffHandler = async () => [{ kind: 'text', text: TEXTS.handoffPending }];

export interface BotOptions {
  readonly knowledge: () => Knowledge;
  readonly thresholds: DecisionThresholds;
  readonly footer: AnswerFooter;
  readonly states: ConversationStates;
  readonly handoff?: HandoffHandler;
  readonly clock?: () => number;
  /** Told what happened to every message, and how long deciding took (activity statistics, feedback, metrics). */
  readonly observe?: (message: IncomingMessage, outcome: BotResponse['outcome'], seconds: number) => void | Promise<void>;
}

export function conversationKey(message: Pick<IncomingMessage, 'channel' | 'userId'>): string {
  return `${message.channel}:${message.userId}`;
}

/**
 * The one entry point every channel uses: a message in, replies out. Reads the knowledge base current at the
 * moment the message arrives (a reload swaps it between messages, never during one).
 */
export class Bot {
  constructor(private readonly options: BotOptions) {}

  get knowledge(): Knowledge {
    return this.options.knowledge();
  }

  async handle(message: IncomingMessage, context: HandleContext = {}): Promise<BotResponse> {
    const state = context.state ?? (await this.options.states.get(message)) ?? EMPTY_STATE;
    const started = performance.now();
    const result = respond(message, state, {
      knowledge: this.options.knowledge(),
      thresholds: this.options.thresholds,
      footer: this.options.footer,
      now: (this.options.clock ?? Date.now)(),
    });
    const seconds = (performance.now() - started) / 1000;
    await this.options.states.set(message, result.state);
    await this.options.observe?.(message, result.outcome, seconds);
    const handoff = this.options.handoff ?? acknowledgeHandoff;
    const replies: Reply[] = [];
    for (const reply of result.replies) {
      if (reply.kind === 'handoff') replies.push(...(await handoff(message, reply, context)));
      else replies.push(reply);
    }
    return { replies, outcome: result.outcome };
  }
}
