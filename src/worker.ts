import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions as WorkerOptions_, type WorkflowBundleOption } from '@temporalio/worker';
import { cachedWorkflowBundle } from './workflow-bundle';
import { heartbeatWhileRunning } from '../activities/heartbeat';

export { WORKFLOWS_PATH, bundleWorkflows } from './workflow-bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  workflowBundle?: WorkflowBundleOption;
  /** The product's data converter (src/adapters/temporal/data-converter.ts): payloads encrypted at rest. */
  dataConverter: DataConverter;
}

/**
 * What every worker of this product runs with, the tests' own workers included (the activity presets' heartbeat
 * timeout relies on the interceptor).
 */
export const BOOKING_WORKER_DEFAULTS = {
  interceptors: { activity: [heartbeatWhileRunning] },
  // Heartbeats reach the server at least this often (the SDK's own throttle would wait 80% of the timeout).
  maxHeartbeatThrottleInterval: '2 seconds',
  // A dead worker's sticky queue hands its workflows to the others after this long (the SDK's default is 10 s).
  stickyQueueScheduleToStartTimeout: '3 seconds',
} satisfies Partial<WorkerOptions_>;

/**
 * Workflow tasks one worker holds at once (the SDK's default: 40). Its workflows run on one thread, so holding more
 * adds no throughput; it only makes every held task wait behind the others. Measured in `npm run chaos` (2 shared
 * cores, load average 12–17): a worker started after a crash took all 18 waiting tasks at once and finished none of
 * them before it was killed, so each waited out the workflow task timeout; and the last worker, catching up on 20
 * conversations at once, let 28 tasks run past the timeout while alive. A task not taken stays on the queue for the
 * next worker, with no timeout to wait out.
 */
export const MAX_CONCURRENT_WORKFLOW_TASKS = 4;

/** A worker for both workflows and every activity. Scale out by running more of them on the same task queue. */
export async function createBookingWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    ...BOOKING_WORKER_DEFAULTS,
    maxConcurrentWorkflowTaskExecutions: MAX_CONCURRENT_WORKFLOW_TASKS,
    workflowBundle: options.workflowBundle ?? { code: (await cachedWorkflowBundle()).code },
  });
}

