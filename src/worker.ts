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

/** A worker for both workflows and every activity. Scale out by running more of them on the same task queue. */
export async function createBookingWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    ...BOOKING_WORKER_DEFAULTS,
    workflowBundle: options.workflowBundle ?? { code: (await cachedWorkflowBundle()).code },
  });
}

