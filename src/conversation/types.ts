/** Where a message came from. `web` is the /chat page, `cli` the terminal tools. */
export type ChannelName = 'messenger' | 'zalo' | 'web' | 'cli';

/** A user's message, whatever the platform: what every channel adapter produces. */
export interface IncomingMessage {
  readonly channel: ChannelName;
  /** Platform user id (Messenger PSID, Zalo user id); a string on every platform. */
  readonly userId: string;
  /** Platform message id, used to drop redeliveries. */
  readonly messageId: string;
  /** Epoch milliseconds when the user sent it. */
  readonly timestamp: number;
  /**
   * text: typed text; choice: a tapped quick reply / button / postback carrying `payload`;
   * start: Get Started / follow; attachment: an image, sticker, file... without text.
   */
  readonly kind: 'text' | 'choice' | 'start' | 'attachment';
  readonly text: string;
  readonly payload?: string;
  readonly displayName?: string;
}

/** A tappable option: a quick reply on Messenger, a button on Zalo, a button on the web chat. */
export interface Choice {
  /** Full title; channels shorten it to their limits and keep the full text in the message body. */
  readonly title: string;
  readonly payload: string;
}

export type HandoffReason = 'user-request' | 'no-answer' | 'feedback';

/** What the bot sends back, channel-agnostic. Channels render these to their platform's messages. */
export type Reply =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'choices'; readonly text: string; readonly choices: readonly Choice[] }
  /**
   * Marker for the escalation layer: pass this question to an officer. Never shown to the user as is. `detail`
   * tells the officer why the bot did not answer (e.g. the matching answer is no longer in force).
   */
  | { readonly kind: 'handoff'; readonly reason: HandoffReason; readonly question: string; readonly detail?: string };

export type Decision = 'answer' | 'suggest' | 'smalltalk' | 'escalate';

export interface ScoredCandidate {
  readonly id: string;
  readonly score: number;
  readonly question: string;
}

/** Why the bot replied the way it did: for logs, the eval, the admin "try a question" page and tickets. */
export interface Outcome {
  readonly decision: Decision;
  /** The answered entry, when decision = answer. */
  readonly entryId: string | null;
  readonly suggestions: readonly string[];
  /** Confidence of the best candidate (0 when none). */
  readonly score: number;
  readonly candidates: readonly ScoredCandidate[];
  /** What the message was: a typed question, a tapped choice, small talk... */
  readonly via: 'question' | 'choice' | 'smalltalk' | 'human-request' | 'attachment' | 'start' | 'menu' | 'feedback';
  /** The user's verdict on an FAQ answer ("Hữu ích 👍 / Chưa đúng 👎"), with the question it answered. */
  readonly feedback?: { readonly entryId: string; readonly helpful: boolean; readonly question: string };
  /** The user tapped (or typed the number of) a suggested entry for the question they had typed. */
  readonly chosen?: { readonly entryId: string; readonly question: string };
  /** The user's 1–5 rating of an officer's answer, and the comment ("Góp ý: …") that may follow it. */
  readonly rating?: { readonly ticket: string; readonly stars: number };
  readonly comment?: { readonly ticket: string; readonly text: string };
  /** Answered by an intent rather than an FAQ entry ("có quy định mới không"). */
  readonly intent?: 'whats-new';
  /** The entry the question matched but that is not served today (outside valid_from / valid_until), and why. */
  readonly withheld?: { readonly entryId: string; readonly reason: string };
}

export interface BotResponse {
  readonly replies: readonly Reply[];
  readonly outcome: Outcome;
}
