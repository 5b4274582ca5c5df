import type { Outcome, Rejection, Slot } from './types';

/** An Outcome whose refusal may carry offers: slots the engine proposes instead (nearest free ones). */
export type OfferingOutcome<T> = { ok: true; value: T } | { ok: false; rejection: Rejection; alternatives: Slot[] };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function reject(rejection: Rejection): { ok: false; rejection: Rejection } {
  return { ok: false, rejection };
}

/** Narrows an Outcome to its value or throws; for tests and places where a refusal is a bug. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got rejection ${JSON.stringify(outcome.rejection)}`);
  return outcome.value;
}
