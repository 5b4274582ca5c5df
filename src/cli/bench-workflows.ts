/**
 * The workflow bundle `npm run bench` runs: every product workflow plus the baseline's trivial one, on one worker, so
 * the baseline and the booking turns share the same server, worker and process. Once workflows/index.ts exports
 * benchEchoWorkflow itself this file can go (the explicit export below wins over the star export either way).
 */
export * from '../../workflows/index';
export { benchEchoWorkflow } from '../../workflows/bench';
