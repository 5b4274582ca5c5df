import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { parseActivityInput } from '../src/adapters/ledger/activity-failures';
import { DETACHED_WORKFLOW_TYPES } from '../src/domain/messaging/addressing';

const schemas = {
  startDetachedWorkflow: z.object({
    workflowType: z.enum(DETACHED_WORKFLOW_TYPES),
    workflowId: z.string().min(1).max(500),
    args: z.array(z.unknown()),
    staticSummary: z.string().max(400),
    staticDetails: z.string().max(2000),
    /** The starter's choice (workflows/options.ts): this module loads no workflow code. */
    workflowTaskTimeout: z.string().min(1),
  }),
};
export type StartDetachedWorkflowInput = z.input<typeof schemas.startDetachedWorkflow>;

/**
 * Starts a workflow that lives on its own (an appointment, a waitlist round, a waitlist entry) with the worker's own
 * client, on the worker's task queue. Not a child: such workflows outlive the run that starts them, and a child's
 * end would wake a parent that no longer cares (or has ended) — see workflows/detached.ts.
 *
 * Idempotent by workflow id: a retried start finds the first (running or already ended) and starts nothing.
 */
export function createDetachedWorkflowActivities() {
  return {
    async startDetachedWorkflow(raw: StartDetachedWorkflowInput): Promise<{ started: boolean }> {
      const input = parseActivityInput('startDetachedWorkflow', schemas.startDetachedWorkflow, raw);
      const { client, info } = Context.current();
      try {
        await client.workflow.start(input.workflowType, {
          taskQueue: info.taskQueue,
          workflowId: input.workflowId,
          args: input.args,
          workflowTaskTimeout: input.workflowTaskTimeout as Duration,
          // A retry after the first start ended (a waitlist round with nobody waiting ends at once) starts no second.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: input.staticSummary,
          staticDetails: input.staticDetails,
        });
        return { started: true };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
        throw error;
      }
    },
  };
}
