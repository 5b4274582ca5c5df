import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The benchmark's baseline: the cheapest useful Temporal round trip. An update to a running workflow whose handler
 * does nothing but answer, so its latency is the engine's own (client → server → workflow task on the worker →
 * back). `npm run bench` compares a booking turn against it.
 */
export const benchEchoUpdate = defineUpdate<number, [number]>('benchEcho');
export const benchStopSignal = defineSignal<[]>('benchStop');

/** Answers each `benchEcho` update with its argument until `benchStop`; returns how many it answered. */
export async function benchEchoWorkflow(): Promise<number> {
  let answered = 0;
  let stopped = false;
  setHandler(
    benchEchoUpdate,
    (n) => {
      answered += 1;
      return n;
    },
    { description: 'Benchmark baseline: returns its argument at once.' },
  );
  setHandler(benchStopSignal, () => void (stopped = true), { description: 'Ends the benchmark workflow.' });
  await condition(() => stopped);
  return answered;
}
