import type { Business } from '../src/domain/booking/business';
import type { Conversation } from '../src/domain/conversation/conversation';
import type { StepKeys } from '../src/domain/conversation/step-keys';
import type { Channel } from '../src/domain/messaging/channel';
import type { DetachedStarter } from './detached';

/** What a turn and the tools it runs need from the conversation that owns them. */
export interface TurnDeps {
  business: Business;
  conversation: Conversation;
  customerKey: string;
  channel: Channel;
  /** The opaque key of this conversation's workflow id (the same for one phone number on every channel). */
  conversationKey: string;
  /** Where the customer's messages go (null for web chat). */
  address: string | null;
  zone: string;
  /** Keys of this conversation's side effects, unique across all its runs. */
  keys: StepKeys;
  /** The model runs in the worker (offline interpreter): call it as a local activity. */
  localModel: boolean;
  /** Whether cancellations and moves are read back before they happen (the run's customer-confirms-changes patch). */
  confirmsChanges: () => boolean;
  /** Whether a tool call, once begun, runs to its end even when the turn budget's cap fires (the run's patch). */
  toolsFinish: () => boolean;
  /** Whether a tool's ledger calls run as local activities (the run's tool-ledger-calls-local patch). */
  ledgerLocal: () => boolean;
  /** How this run starts the appointment and waitlist workflows that outlive it. */
  detached: DetachedStarter;
}
