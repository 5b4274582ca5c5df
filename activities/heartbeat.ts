import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** How often a running activity tells the server it is alive; well inside HEARTBEAT_TIMEOUT (workflows/options.ts). */
const BEAT_MS = 1_000;

/**
 * Every activity heartbeats while it runs, so a worker that dies mid-call (SIGKILL, OOM, a lost machine) is noticed
 * by the server within the heartbeat timeout and the call retried on another worker, instead of after its whole
 * start-to-close timeout (45 s for a model call) — the customer's reply is what waits. One interceptor for all
 * activities rather than a call in each, so no activity can be left out of it. Local activities do not heartbeat.
 */
export const heartbeatWhileRunning: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    async execute(input, next) {
      if (ctx.info.isLocal) return next(input);
      ctx.heartbeat();
      const timer = setInterval(() => ctx.heartbeat(), BEAT_MS);
      try {
        return await next(input);
      } finally {
        clearInterval(timer);
      }
    },
  },
});
