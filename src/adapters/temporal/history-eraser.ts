import type { Client } from '@temporalio/client';

/** gRPC's NOT_FOUND: the run is gone already. */
const NOT_FOUND = 5;

/** One workflow run deleted from Temporal. */
export interface ErasedRun {
  workflowId: string;
  runId: string;
}

/**
 * Deletes workflow histories from Temporal (DeleteWorkflowExecution): every run of each workflow id, the current one
 * included, which the server terminates first when it is still running. The server removes the history and its
 * visibility record asynchronously, shortly after the call. Used to forget a customer: encrypted or not, a history
 * that no longer exists cannot be read with any key.
 */
export function createHistoryEraser(client: Client) {
  const namespace = client.options.namespace;
  async function deleteRun(workflowId: string, runId?: string): Promise<boolean> {
    try {
      await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId, runId } });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === NOT_FOUND) return false;
      throw error;
    }
  }
  return {
    async erase(workflowIds: readonly string[]): Promise<ErasedRun[]> {
      const erased: ErasedRun[] = [];
      for (const workflowId of workflowIds) {
        const runs = new Set<string>();
        // The current run first (visibility may not list a run that started a moment ago), then every older one.
        try {
          runs.add((await client.workflow.getHandle(workflowId).describe()).runId);
        } catch (error) {
          if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
        }
        for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, "\\'")}'` })) runs.add(run.runId);
        for (const runId of runs) if (await deleteRun(workflowId, runId)) erased.push({ workflowId, runId });
      }
      return erased;
    },
  };
}

export type HistoryEraser = ReturnType<typeof createHistoryEraser>;
