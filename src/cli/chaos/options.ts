/** Command-line options of `npm run chaos`. */

export interface ChaosOptions {
  customers: number;
  /** How long customers start new turns, in seconds. */
  seconds: number;
  /** The worker is SIGKILLed this often (0: never). */
  killEveryMs: number;
  /** When the dev server is killed and started again, in seconds after the customers begin (-1: never). */
  restartServerAtS: number;
  /** Share of model calls that fail. */
  modelFailureRate: number;
  /** How long turns already sent may still be answered after the faults stop, in seconds. */
  drainSeconds: number;
  seed: number;
  /** Keep the run directory (logs, the dev server's SQLite file) and print where it is. */
  keep: boolean;
}

export const USAGE =
  'usage: npm run chaos [-- --customers 20 --seconds 90 --kill-every-ms 5000 --restart-server-at-s 45 ' +
  '--model-failure-rate 0.5 --drain-seconds 45 --seed 1 --keep]';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseChaosOptions(argv: string[]): ChaosOptions | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const known = new Set(['customers', 'seconds', 'kill-every-ms', 'restart-server-at-s', 'model-failure-rate', 'drain-seconds', 'seed', 'keep']);
  for (const arg of argv) {
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : undefined;
    if (name !== undefined && !known.has(name)) throw new UsageError(`unknown option --${name}`);
  }
  const value = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return fallback;
    const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
    const n = Number(raw);
    if (raw === undefined || raw === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${raw ?? 'nothing'})`);
    }
    return n;
  };
  const seconds = value('seconds', 90, 5, 3600);
  return {
    customers: value('customers', 20, 1, 500),
    seconds,
    killEveryMs: value('kill-every-ms', 5000, 0, 3_600_000),
    restartServerAtS: value('restart-server-at-s', Math.round(seconds / 2), -1, seconds),
    modelFailureRate: value('model-failure-rate', 0.5, 0, 0.95, false),
    drainSeconds: value('drain-seconds', 45, 5, 3600),
    seed: value('seed', 1, 0, 2 ** 31),
    keep: argv.includes('--keep'),
  };
}

/** A small seeded generator (mulberry32): the same seed gives the same pattern of model failures. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
