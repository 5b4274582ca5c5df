import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateStage } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { conversationWorkflow, type ConversationInput } from '../../../workflows/conversation';
import { rememberContactWorkflow } from '../../../workflows/contact';
import { WORKFLOW_TASK_TIMEOUT } from '../../../workflows/options';
import {
  handBackSignal,
  takeOverSignal,
  operatorMessageSignal,
  postMessageUpdate,
  stateQuery,
  transcriptQuery,
  userMessageSignal,
  attendanceSignal,
  cancelAppointmentSignal,
  type ConversationState,
  type TranscriptEntry,
  type TurnResult,
  type UserMessage,
} from '../../../workflows/messages';
import { BookingStatusKey, ChannelKey, NeedsHumanKey } from '../../../workflows/search-attributes';
import { appointmentWorkflowId, conversationWorkflowId, type ConversationTarget } from '../../domain/messaging/addressing';
import { isTransient, retryTransient } from './transient';

/**
 * The gateway's door into Temporal: finds or starts the one workflow of a conversation and talks to it with the
 * messages of workflows/messages.ts. Workflow ids follow the DESIGN.md contract `conversation:<channel>:<key>`.
 */
export type { ConversationTarget };

export type PostOutcome = { kind: 'answered'; result: TurnResult } | { kind: 'pending'; messageId: string };

export interface ConversationView {
  transcript: TranscriptEntry[];
  state: ConversationState;
}


export class Conversations {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private startOptions(target: ConversationTarget) {
    const input: ConversationInput = { ...target };
    return {
      taskQueue: this.taskQueue,
      workflowId: conversationWorkflowId(target.channel, target.key),
      args: [input] as [ConversationInput],
      // A turn held by a worker that died is retried by another after this long (Temporal's default, 10 s, is a customer's wait).
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      staticSummary: `Booking conversation over ${target.channel}`,
      staticDetails: 'Customer messages arrive as userMessage signals or postMessage updates; see current details for the slot, hold and bookings.',
      typedSearchAttributes: new TypedSearchAttributes([
        { key: ChannelKey, value: target.channel },
        { key: NeedsHumanKey, value: false },
        { key: BookingStatusKey, value: 'open' },
      ]),
    };
  }

  /** Starts the conversation if it is not running (new chat session); returns its workflow id. */
  /**
   * Remembers the customer's email address (or forgets it with null) through a short workflow, so the write is durable
   * and retried even when no worker is up yet; a newer address replaces one still being written.
   */
  async rememberEmail(customerKey: string, email: string | null): Promise<void> {
    await this.client.workflow.start(rememberContactWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: `contact:${customerKey}`,
      args: [{ customerKey, email }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      staticSummary: 'Remember where this customer wants emails',
    });
  }

  async open(target: ConversationTarget): Promise<string> {
    const options = this.startOptions(target);
    await this.client.workflow.start(conversationWorkflow, { ...options, workflowIdConflictPolicy: 'USE_EXISTING' });
    return options.workflowId;
  }

  /**
   * Sends a message and waits up to `waitMs` for the assistant's answer (update-with-start). The wait covers the
   * whole call, acceptance included: with no worker polling (a crash, a deploy) the update is never accepted, so when
   * the wait runs out before acceptance the message is made durable with signal-with-start instead and the caller
   * gets `pending`. The workflow handles a message id once, so if the update is accepted later as well, nothing is
   * done twice. A turn that takes longer is still processed; its replies arrive in the transcript and events.
   */
  async post(target: ConversationTarget, message: UserMessage, waitMs: number): Promise<PostOutcome> {
    const deadline = Date.now() + waitMs;
    const accepted = this.client.workflow.startUpdateWithStart(postMessageUpdate, {
      args: [message],
      updateId: message.messageId,
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      startWorkflowOperation: new WithStartWorkflowOperation(conversationWorkflow, {
        ...this.startOptions(target),
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    // A transient refusal (the server restarting, a failed workflow task after a crash) is no reason to lose the
    // message either: it takes the same durable path as a timeout.
    const handle = await raceDeadline(accepted, deadline).catch((error: unknown): typeof TIMED_OUT => {
      if (isTransient(error)) return TIMED_OUT;
      throw error;
    });
    if (handle === TIMED_OUT) {
      accepted.catch(() => undefined); // it may still be accepted later: harmless, the message id is seen once
      await retryTransient(() => this.deliver(target, message), QUERY_RETRY_MS);
      return { kind: 'pending', messageId: message.messageId };
    }
    const result = await raceDeadline(handle.result(), deadline);
    return result === TIMED_OUT ? { kind: 'pending', messageId: message.messageId } : { kind: 'answered', result };
  }

  /** Delivers a message without waiting (Twilio webhooks answer at once): signal-with-start. */
  async deliver(target: ConversationTarget, message: UserMessage): Promise<string> {
    const options = this.startOptions(target);
    await this.client.workflow.signalWithStart(conversationWorkflow, {
      ...options,
      signal: userMessageSignal,
      signalArgs: [message],
    });
    return options.workflowId;
  }

  /** Whether the conversation exists (running or finished): answered by the server alone, no worker involved. */
  async exists(workflowId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Transcript and state, or null when there is no such conversation. */
  async view(workflowId: string, afterSeq = 0): Promise<ConversationView | null> {
    try {
      const handle = this.client.workflow.getHandle(workflowId);
      // One query after the other: two at once on a cold workflow make the worker replay it twice.
      const transcript = await retryTransient(() => handle.query(transcriptQuery, { afterSeq }), QUERY_RETRY_MS);
      const state = await retryTransient(() => handle.query(stateQuery), QUERY_RETRY_MS);
      return { transcript, state };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  async transcriptAfter(workflowId: string, afterSeq: number): Promise<TranscriptEntry[] | null> {
    try {
      return await retryTransient(() => this.client.workflow.getHandle(workflowId).query(transcriptQuery, { afterSeq }), QUERY_RETRY_MS);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** Operator reply: takes the conversation over and reaches the customer on their channel. */
  async operatorReply(workflowId: string, text: string, operator: string): Promise<boolean> {
    return this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(operatorMessageSignal, { text, operator }));
  }

  /** Staff take the conversation over without a message yet (the assistant stays silent until handBack). */
  async takeOver(workflowId: string, operator: string): Promise<boolean> {
    return this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(takeOverSignal, { operator }));
  }

  async handBack(workflowId: string): Promise<boolean> {
    return this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(handBackSignal));
  }

  async markAttendance(bookingId: string, attended: boolean): Promise<boolean> {
    const workflowId = appointmentWorkflowId(bookingId);
    return this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(attendanceSignal, { attended }));
  }

  /** Staff cancel a booking: its appointment workflow cancels it in the ledger and tells the customer. */
  async cancelAsBusiness(bookingId: string, operator: string): Promise<boolean> {
    const workflowId = appointmentWorkflowId(bookingId);
    return this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(cancelAppointmentSignal, { by: 'staff', operator, reason: `cancelled by ${operator}` }));
  }

  private async signal(_workflowId: string, send: () => Promise<void>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }
}

const TIMED_OUT = Symbol('timed out');
/** How long a read waits out a crashed worker's failed workflow task (another worker replays it meanwhile). */
const QUERY_RETRY_MS = 10_000;

/** The promise's value, or TIMED_OUT once `deadline` (epoch ms) has passed; the timer never outlives the race. */
async function raceDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
