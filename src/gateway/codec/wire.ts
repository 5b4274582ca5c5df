import { z } from '@hono/zod-openapi';
import type { Payload } from '@temporalio/common';

/**
 * Temporal's codec server wire format (docs.temporal.io "Codec Server"): `{payloads: [{metadata, data}]}` with every
 * metadata value and the data in base64, the same shape in requests and responses of /encode and /decode.
 */
const base64 = z.string().max(8 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const CodecBody = z
  .object({
    payloads: z
      .array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() }))
      .max(10_000),
  })
  .openapi('CodecPayloads');
export type CodecBody = z.infer<typeof CodecBody>;

export function fromWire(body: CodecBody): Payload[] {
  return body.payloads.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  }));
}

export function toWire(payloads: Payload[]): CodecBody {
  return {
    payloads: payloads.map(({ metadata, data }) => ({
      metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
      data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
    })),
  };
}
