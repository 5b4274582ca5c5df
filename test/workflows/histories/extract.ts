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
import { AesGcmPayloadCodec } from '../../../src/adapters/temporal/payload-codec';
import { parsePayloadKeys } from '../../../src/adapters/temporal/payload-keys';
import { decryptHistory } from './decrypt';

const { temporal } = proto;
const [address, workflowId, runId, keysFile, out] = process.argv.slice(2);
if (!out) throw new Error('usage: extract.ts <address> <workflowId> <runId> <payload-keys file> <out.history.pb>');
const codec = new AesGcmPayloadCodec(parsePayloadKeys(fs.readFileSync(keysFile!, 'utf8'), keysFile));
const connection = await Connection.connect({ address: address! });
const history = await new Client({ connection }).workflow.getHandle(workflowId!, runId).fetchHistory();
await connection.close();
const decrypted = await decryptHistory(history, codec);
fs.writeFileSync(out, temporal.api.history.v1.History.encode(temporal.api.history.v1.History.fromObject(history as object)).finish());
console.log(`${history.events?.length} events, ${decrypted} payloads decrypted → ${out}`);
