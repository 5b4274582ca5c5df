import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  moveAppointmentUpdate,
  type ConversationState,
  type MoveRequest,
  type MoveResult,
  type TranscriptEntry,
} from '../../../workflows/messages';
import { ChannelKey } from '../../../workflows/search-attributes';
import { appointmentWorkflowId } from '../../domain/messaging/addressing';
import type { Conversations } from './conversations';
import { conversationQuery } from './visibility';

/**
 * The staff desk's door into Temporal: the needs-human queue from visibility, a conversation's transcript and state,
 * take over / reply / hand back, and the business's cancel and move of a booking through its appointment workflow.
 * Answers null (or false) when the workflow is not there, so the page can say so instead of failing.
 */
export interface QueuedConversation {
  workflowId: string;
  channel: string;
  since: string;
}

export interface StaffTemporal {
  needsHuman(limit: number): Promise<QueuedConversation[]>;
  view(workflowId: string): Promise<{ transcript: TranscriptEntry[]; state: ConversationState } | null>;
  takeOver(workflowId: string, operator: string): Promise<boolean>;
  reply(workflowId: string, text: string, operator: string): Promise<boolean>;
  handBack(workflowId: string): Promise<boolean>;
  cancelAsBusiness(bookingId: string, operator: string): Promise<boolean>;
  /** The ledger's answer to the move, or null when no appointment workflow follows the booking any more. */
  moveAsBusiness(bookingId: string, request: MoveRequest): Promise<MoveResult | null>;
}


export function createStaffTemporal(client: Client, conversations: Conversations, options: { taskQueue?: string } = {}): StaffTemporal {
  return {
    async needsHuman(limit) {
      // The operator list's query (one builder), narrowed to conversations still running.
      const query = `${conversationQuery(options.taskQueue, { needsHuman: true })} AND ExecutionStatus = 'Running'`;
      const rows: QueuedConversation[] = [];
      for await (const execution of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
        rows.push({
          workflowId: execution.workflowId,
          channel: execution.typedSearchAttributes.get(ChannelKey) ?? execution.workflowId.split(':')[1] ?? 'unknown',
          since: (execution.executionTime ?? execution.startTime).toISOString(),
        });
        if (rows.length >= limit) break;
      }
      return rows;
    },

    // The same doors as the operator API's (conversations.ts): one way to read and to signal a conversation.
    view: (workflowId) => conversations.view(workflowId),
    takeOver: (workflowId, operator) => conversations.takeOver(workflowId, operator),
    reply: (workflowId, text, operator) => conversations.operatorReply(workflowId, text, operator),
    handBack: (workflowId) => conversations.handBack(workflowId),
    cancelAsBusiness: (bookingId, operator) => conversations.cancelAsBusiness(bookingId, operator),

    async moveAsBusiness(bookingId, request) {
      try {
        return await client.workflow.getHandle(appointmentWorkflowId(bookingId)).executeUpdate(moveAppointmentUpdate, { args: [request] });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        // The validator refused it (already moved or cancelled, or already there): not something a retry fixes. A
        // refusal with a type of its own gives that type as the code.
        if (error instanceof WorkflowUpdateFailedError) {
          const code = error.cause instanceof ApplicationFailure && error.cause.type && error.cause.type !== 'Error' ? error.cause.type : 'not_movable';
          return { ok: false, code, message: error.cause?.message ?? 'this booking can no longer be moved', alternatives: [] };
        }
        throw error;
      }
    },
  };
}
