import { EMPTY_STATE, respond, type ConversationState } from './respond.js';
import type { Knowledge } from './knowledge.js';
import type { AnswerFooter } from './answer.js';
import type { DecisionThresholds } from '../matching/decide.js';
import { TEXTS } from './texts.js';
import type { BotResponse, HandoffReason, IncomingMessage, Reply } from './types.js';

/** Where the state of each conversation lives: memory for the terminal tools, the store for the server. */
export interface ConversationStates {
  get(key: string): ConversationState | undefined;
  set(key: string, state: ConversationState): void;
}

export class MemoryConversationStates implements ConversationStates {
  private readonly states = new Map<string, ConversationState>();
  get(key: string) {
    return this.states.get(key);
  }
  set(key: string, state: ConversationState) {
    this.states.set(key, state);
  }
}

export interface HandoffRequest {
  readonly reason: HandoffReason;
  readonly question: string;
  /** Why the bot did not answer, recorded on the ticket for the officer. */
  readonly detail?: string;
}

/** Turns a hand-off marker into what the user is told (the inbox creates a ticket and returns its number). */
export type HandoffHandler = (message: IncomingMessage, request: HandoffRequest) => Promise<Reply[]>;

export const acknowledgeHandoff: HandoffHandler = async () => [{ kind: 'text', text: TEXTS.handoffPending }];

export interface BotOptions {
  readonly knowledge: () => Knowledge;
  readonly thresholds: DecisionThresholds;
  readonly footer: AnswerFooter;
  readonly states: ConversationStates;
  readonly handoff?: HandoffHandler;
  readonly clock?: () => number;
  /** Told what happened to every message (activity statistics, feedback, ratings). */
  readonly observe?: (message: IncomingMessage, outcome: BotResponse['outcome']) => void;
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

  async handle(message: IncomingMessage): Promise<BotResponse> {
    const key = conversationKey(message);
    const result = respond(message, this.options.states.get(key) ?? EMPTY_STATE, {
      knowledge: this.options.knowledge(),
      thresholds: this.options.thresholds,
      footer: this.options.footer,
      now: (this.options.clock ?? Date.now)(),
    });
    this.options.states.set(key, result.state);
    this.options.observe?.(message, result.outcome);
    const handoff = this.options.handoff ?? acknowledgeHandoff;
    const replies: Reply[] = [];
    for (const reply of result.replies) {
      if (reply.kind === 'handoff') replies.push(...(await handoff(message, reply)));
      else replies.push(reply);
    }
    return { replies, outcome: result.outcome };
  }
}
