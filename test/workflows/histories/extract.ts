/**
 * Saves one workflow history from a Temporal server as a replay fixture, its payloads decrypted (so a test replays it
 * with the plain data converter, no key in the repository):
 *
 *   npx tsx test/workflows/histories/extract.ts <address> <workflowId> <runId> <payload-keys file> <out.history.pb>
 *
 * Used on a copy of a chaos run's dev-server database (`temporal server start-dev --db-filename <copy>`), with the
 * run's `data/payload-keys`.
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../../src/adapters/temporal/payload-codec';
import { parsePayloadKeys } from '../../../src/adapters/temporal/payload-keys';

const [address, workflowId, runId, keysFile, out] = process.argv.slice(2);
if (!out) throw new Error('usage: extract.ts <address> <workflowId> <runId> <payload-keys file> <out.history.pb>');
const codec = new AesGcmPayloadCodec(parsePayloadKeys(fs.readFileSync(keysFile!, 'utf8'), keysFile));
const connection = await Connection.connect({ address: address! });
const history = await new Client({ connection }).workflow.getHandle(workflowId!, runId).fetchHistory();
await connection.close();

type Payload = proto.temporal.api.common.v1.IPayload;
const encrypted = (p: Payload) => Buffer.from(p.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING;
let decrypted = 0;
/** Every payload anywhere in the history (inputs, results, markers, memos, summaries, failures), decrypted in place. */
async function walk(node: unknown): Promise<void> {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === 'object' && 'metadata' in value && 'data' in value && encrypted(value as Payload)) {
      const [plain] = await codec.decode([value as never]);
      (node as Record<string, unknown>)[key] = plain;
      decrypted += 1;
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) {
        if (item && typeof item === 'object' && 'metadata' in item && 'data' in item && encrypted(item as Payload)) {
          const [plain] = await codec.decode([item as never]);
          value[i] = plain;
          decrypted += 1;
        } else await walk(item);
      }
    } else await walk(value);
  }
}
await walk(history);
fs.writeFileSync(out, temporal.api.history.v1.History.encode(temporal.api.history.v1.History.fromObject(history as object)).finish());
console.log(`${history.events?.length} events, ${decrypted} payloads decrypted → ${out}`);
