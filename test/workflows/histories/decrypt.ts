import type { PayloadCodec } from '@temporalio/common';
import type proto from '@temporalio/proto';
import { ENCRYPTED_ENCODING } from '../../../src/adapters/temporal/payload-codec';

type Payload = proto.temporal.api.common.v1.IPayload;
const isEncrypted = (v: unknown): v is Payload =>
  !!v && typeof v === 'object' && 'metadata' in v && 'data' in v && Buffer.from((v as Payload).metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING;

/** Decrypts, in place, every payload anywhere in a history (inputs, results, markers, memos, summaries, failures). */
export async function decryptHistory(history: proto.temporal.api.history.v1.IHistory, codec: PayloadCodec): Promise<number> {
  let decrypted = 0;
  async function walk(node: unknown): Promise<void> {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    const entries: [string | number, unknown][] = Array.isArray(node) ? [...node.entries()] : Object.entries(node);
    for (const [key, value] of entries) {
      if (isEncrypted(value)) {
        const [plain] = await codec.decode([value as never]);
        (node as Record<string | number, unknown>)[key] = plain;
        decrypted += 1;
      } else await walk(value);
    }
  }
  await walk(history);
  return decrypted;
}
