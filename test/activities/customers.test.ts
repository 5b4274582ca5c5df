import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerActivities } from '../../activities/customers';
import { openLedger, type Ledger } from '../../src/adapters/ledger';

describe('client activities', () => {
  let ledger: Ledger;
  let clients: ReturnType<typeof createCustomerActivities>;
  beforeAll(async () => {
    ledger = await openLedger({ memory: true });
    clients = createCustomerActivities({ ledger });
  });
  afterAll(() => ledger?.close());

  it('remembers STOP and START per customer key', async () => {
    expect(await clients.getCustomer({ customerKey: 'k1' })).toEqual({ customerKey: 'k1', optedOut: false, zone: null, locale: null, name: null });
    expect((await clients.setOptOut({ customerKey: 'k1', optedOut: true })).optedOut).toBe(true);
    expect((await clients.getCustomer({ customerKey: 'k1' })).optedOut).toBe(true);
    expect((await clients.getCustomer({ customerKey: 'k2' })).optedOut).toBe(false);
    expect((await clients.setOptOut({ customerKey: 'k1', optedOut: false, idempotencyKey: 'conv:start:1' })).optedOut).toBe(false);
  });

  it('keeps zone and locale, leaving out what is not given and forgetting what is null', async () => {
    await clients.setCustomerPreferences({ customerKey: 'k3', zone: 'Europe/Madrid', locale: 'es' });
    expect(await clients.setCustomerPreferences({ customerKey: 'k3', locale: 'en' })).toMatchObject({ zone: 'Europe/Madrid', locale: 'en' });
    expect(await clients.setCustomerPreferences({ customerKey: 'k3', zone: null })).toMatchObject({ zone: null, locale: 'en' });
  });

  it('refuses an unknown zone or locale for good', async () => {
    await expect(clients.setCustomerPreferences({ customerKey: 'k4', zone: 'Mars/Olympus' })).rejects.toMatchObject({
      type: 'InvalidActivityInput',
      nonRetryable: true,
      message: expect.stringMatching(/zone/),
    });
    await expect(clients.setCustomerPreferences({ customerKey: 'k4', locale: 'fr' as 'en' })).rejects.toMatchObject({ type: 'InvalidActivityInput' });
    await expect(clients.getCustomer({ customerKey: '' })).rejects.toMatchObject({ type: 'InvalidActivityInput' });
  });
});
