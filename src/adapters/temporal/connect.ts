import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';

/** Where and how to reach Temporal (DESIGN.md environment: TEMPORAL_ADDRESS, namespace, API key, TLS). */
export interface TemporalTarget {
  address: string;
  namespace: string;
  apiKey?: string;
  tls: boolean;
}

export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
}

const explain = (target: TemporalTarget, error: unknown) =>
  new TemporalUnreachableError(
    `cannot reach Temporal at ${target.address} (${(error as Error).message?.split('\n')[0]}) — start that server, ` +
      'fix TEMPORAL_ADDRESS, or unset it to let `npm start` run its own dev server',
  );

/**
 * A client connection, failing fast with a readable reason. `dataConverter` is the product's
 * (src/adapters/temporal/data-converter.ts): without it, what the client sends would reach Temporal unencrypted.
 */
export async function connectClient(target: TemporalTarget, options: { dataConverter: DataConverter }): Promise<Client> {
  try {
    const connection = await Connection.connect({
      address: target.address,
      tls: target.tls ? {} : undefined,
      apiKey: target.apiKey,
      connectTimeout: '5 seconds',
    });
    return new Client({ connection, namespace: target.namespace, dataConverter: options.dataConverter });
  } catch (error) {
    throw explain(target, error);
  }
}

/** The worker's native connection, with the same readable failure. */
export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address: target.address, tls: target.tls ? {} : undefined, apiKey: target.apiKey });
  } catch (error) {
    throw explain(target, error);
  }
}
