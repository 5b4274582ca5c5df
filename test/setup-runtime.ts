import { DefaultLogger, Runtime } from '@temporalio/worker';

/** Workers in tests log warnings and errors only; their INFO lines drown the test output. */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}
