/** The ledger adapter's public surface: open it with {@link openLedger}; talk to it through the {@link Ledger} port. */
export * from './ledger-factory';
