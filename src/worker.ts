import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { cachedWorkflowBundle } from './workflow-bundle';

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

/** A worker for both workflows and every activity. Scale out by running more of them on the same task queue. */
export async function createBookingWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    workflowBundle: options.workflowBundle ?? { code: (await cachedWorkflowBundle()).code },
  });
}

