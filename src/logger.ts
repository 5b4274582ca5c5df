import pino, { type Logger } from 'pino';

/** One structured logger for the process. Phone numbers and session ids are never logged in full. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'booking' }, redact: ['to', 'from', 'address', 'body', '*.to', '*.from', '*.address'] });
}
