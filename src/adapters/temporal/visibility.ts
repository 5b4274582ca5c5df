import type { Client } from '@temporalio/client';
import { BookingStatusKey, ChannelKey, NeedsHumanKey } from '../../../workflows/search-attributes';
import type { ConversationStatus } from '../../../workflows/messages';

/** A conversation as the operator list shows it: ids and flags only, from Temporal visibility. */
export interface ConversationListing {
  workflowId: string;
  channel: string;
  status: string;
  needsHuman: boolean;
  updatedAt: string;
}

export interface ConversationFilter {
  status?: ConversationStatus;
  needsHuman?: boolean;
  workflowIds?: string[];
  limit: number;
}

/**
 * Operator look-ups, one function: the filter becomes the same visibility query operators type in the Web UI
 * (`WorkflowType = 'conversationWorkflow' AND BookingStatus = 'holding' …`), built here and nowhere else.
 */
export function conversationQuery(taskQueue: string | undefined, filter: Omit<ConversationFilter, 'limit'>): string {
  const clauses = [`WorkflowType = 'conversationWorkflow'`];
  // This deployment's conversations only: another deployment on the same namespace has its own task queue (and its
  // own payload keys, so its memos would not even decode here).
  if (taskQueue) clauses.push(`TaskQueue = '${taskQueue.replace(/'/g, '')}'`);
  if (filter.status) clauses.push(`BookingStatus = '${filter.status}'`);
  if (filter.needsHuman !== undefined) clauses.push(`NeedsHuman = ${filter.needsHuman}`);
  // Ids come from Addressing (hex keys and fixed prefixes), never from raw input; quotes are refused anyway.
  if (filter.workflowIds) clauses.push(`WorkflowId IN (${filter.workflowIds.map((id) => `'${id.replace(/'/g, '')}'`).join(', ')})`);
  return clauses.join(' AND ');
}

export function createVisibility(client: Client, taskQueue: string) {
  return {
    async find(filter: ConversationFilter): Promise<ConversationListing[]> {
      const rows: ConversationListing[] = [];
      for await (const execution of client.workflow.list({ query: conversationQuery(taskQueue, filter), pageSize: Math.min(filter.limit, 100) })) {
        const sa = execution.typedSearchAttributes;
        rows.push({
          workflowId: execution.workflowId,
          channel: sa.get(ChannelKey) ?? execution.workflowId.split(':')[1] ?? 'unknown',
          status: execution.status.name === 'RUNNING' ? (sa.get(BookingStatusKey) ?? 'open') : execution.status.name.toLowerCase(),
          needsHuman: sa.get(NeedsHumanKey) ?? false,
          updatedAt: (execution.executionTime ?? execution.startTime).toISOString(),
        });
        if (rows.length >= filter.limit) break;
      }
      return rows;
    },
  };
}
