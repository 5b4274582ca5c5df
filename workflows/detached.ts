import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, proxyLocalActivities, startChild, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DetachedWorkflowType } from '../src/domain/messaging/addressing';
import { WORKFLOW_TASK_TIMEOUT } from './options';
import { RunPatch } from './run-patch';

/**
 * Appointments, waitlist rounds and waitlist entries are started by an activity with the worker's client, not as
 * children. Each outlives the run that starts it, so a child's parent-close policy had to be ABANDON, and then the link
 * only cost: the child's start and end each woke the parent for a workflow task it had no use for (a conversation run
 * was woken hours later when its appointment ended), and Temporal's time-skipping test server never releases its
 * time lock for a child that ends after its parent closed — every later timer in that test then waited in real time
 * (a 75-minute sleep took minutes and, on a loaded machine, hung CI). Histories written before started children; they
 * replay the way they were written. Decided at the run's start (see run-patch.ts).
 */
export const DETACHED_BY_ACTIVITY_PATCH = 'detached-workflows-started-by-activity';

export interface DetachedStart {
  workflowType: DetachedWorkflowType;
  workflowId: string;
  args: unknown[];
  /** What the Web UI shows in the started workflow's list row and header. */
  staticSummary: string;
  staticDetails: string;
}

/**
 * The workflow must start (a booking without its appointment workflow gets no reminders): retried until the server
 * takes it, never given up on. Idempotent by workflow id.
 */
const startOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};
const { startDetachedWorkflow } = proxyActivities<Activities>(startOptions);
/** A start is one idempotent call to the server from this worker: nothing for the server to schedule (see tool-executor.ts). */
const startLocally = proxyLocalActivities<Activities>(startOptions).startDetachedWorkflow;

/** How one run starts the workflows that outlive it; create one per run and ask its patch in the first activation. */
export class DetachedStarter {
  private readonly patch = new RunPatch(DETACHED_BY_ACTIVITY_PATCH);

  /** @param local whether this run starts them as local activities (the conversation's tool-ledger-calls-local patch). */
  constructor(private readonly local: () => boolean = () => false) {}

  askAtStart(): void {
    this.patch.askAtStart();
  }

  /** Starts it unless a workflow with its id was started before (a retried step starts nothing new). */
  async start(start: DetachedStart): Promise<void> {
    if (this.patch.decide()) {
      const input = { ...start, workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT };
      const summary = `start ${start.workflowId}`;
      if (this.local()) await startLocally.executeWithOptions({ ...startOptions, summary }, [input]);
      else await startDetachedWorkflow.executeWithOptions({ ...startOptions, summary }, [input]);
      return;
    }
    try {
      await startChild(start.workflowType, {
        workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
        workflowId: start.workflowId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: start.args,
        staticSummary: start.staticSummary,
        staticDetails: start.staticDetails,
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
  }
}
