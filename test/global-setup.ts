import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { provision } from '../src/adapters/temporal/provision';
import { bundleWorkflows } from '../src/worker';
import { BookingStatusKey, ChannelKey, NeedsHumanKey, ServiceIdKey, AppointmentStartKey } from '../workflows/search-attributes';

/**
 * Once per test run: provision both Temporal programs (the same routes as `npm start`), bundle the workflows once,
 * and start one real dev server that the end-to-end tests share.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    temporalCliPath: string;
    testServerPath: string;
    workflowBundleCode: string;
    workflowBundleError: string;
    devServerAddress: string;
  }
}

export default async function setup(project: TestProject) {
  const cli = await provision('cli');
  const testServer = await provision('test-server');
  if (cli.kind !== 'path' || testServer.kind !== 'path') {
    throw new Error('tests need the Temporal programs as files; run `npm run temporal:provision` or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH');
  }
  // A bundle that fails to build fails the workflow tests that need it (with this error), not the pure unit tests.
  const bundle = await bundleWorkflows().catch((error: Error) => ({ code: '', error: error.message }));
  const devServer = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli.path },
      searchAttributes: [BookingStatusKey, ChannelKey, NeedsHumanKey, ServiceIdKey, AppointmentStartKey],
    },
  });
  project.provide('temporalCliPath', cli.path);
  project.provide('testServerPath', testServer.path);
  project.provide('workflowBundleCode', (bundle as { code: string }).code);
  project.provide('workflowBundleError', (bundle as { error?: string }).error ?? '');
  project.provide('devServerAddress', devServer.connection.options.address ?? '');
  return async () => {
    await devServer.teardown();
  };
}
