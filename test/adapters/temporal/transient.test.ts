import { describe, expect, it } from 'vitest';
import { isTransient, retryTransient } from '../../../src/adapters/temporal/transient';

describe('reads that wait out a crashed worker', () => {
  it('tells "not now" from "no"', () => {
    expect(isTransient(new Error('Workflow Task in failed state'))).toBe(true);
    expect(isTransient(Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 }))).toBe(true);
    expect(isTransient(new Error('workflow not found for ID: conversation:chat:x'))).toBe(false);
    expect(isTransient(new Error('text must not be empty'))).toBe(false);
  });

  it('retries a transient failure within its budget and gives the answer; a permanent one fails at once', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3) throw new Error('Workflow Task in failed state');
      return 'transcript';
    };
    expect(await retryTransient(flaky, 5_000, 1)).toBe('transcript');
    expect(calls).toBe(3);

    let permanent = 0;
    await expect(retryTransient(async () => { permanent += 1; throw new Error('workflow not found'); }, 5_000, 1)).rejects.toThrow('workflow not found');
    expect(permanent).toBe(1);
  });

  it('gives up when the budget is spent, with the last error', async () => {
    await expect(retryTransient(async () => { throw new Error('Workflow Task in failed state'); }, 20, 5)).rejects.toThrow('failed state');
  });
});
