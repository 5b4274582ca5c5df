import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * `npm run record:histories -- <file>`: records the workflow histories the replay tests read
 * (test/workflows/histories/*.record.ts). Apart from `npm test` on purpose: recording rewrites fixtures, which a test
 * run must never do, and a recorder is not a test.
 */
export default mergeConfig(base, defineConfig({ test: { include: ['test/**/*.record.ts'] } }));
