import type { Client } from '@temporalio/client';
import { BookingStatusKey, ChannelKey, NeedsHumanKey } from '../../../workflows/search-attributes';

/** A conversation as the operator list shows it: ids and flags only, from Temporal visibility. */
export interface ConversationListing {
  workflowId: string;
  channel: string;
  status: string;
  needsHuman: boolean;
  updatedAt: string;
}

/** Lists conversations with a visibility query (the same query language operators type in the Web UI). */
export function createVisibility(client: Client) {
  return {
    async list(query: string, limit: number): Promise<ConversationListing[]> {
      const rows: ConversationListing[] = [];
      for await (const execution of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
        const sa = execution.typedSearchAttributes;
        rows.push({
          workflowId: execution.workflowId,
          channel: sa.get(ChannelKey) ?? execution.workflowId.split(':')[1] ?? 'unknown',
          status: execution.status.name === 'RUNNING' ? (sa.get(BookingStatusKey) ?? 'open') : execution.status.name.toLowerCase(),
          needsHuman: sa.get(NeedsHumanKey) ?? false,
          updatedAt: (execution.executionTime ?? execution.startTime).toISOString(),
        });
        if (rows.length >= limit) break;
      }
      return rows;
    },
  };
}
