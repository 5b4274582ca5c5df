/**
 * Remembers which Twilio ids (MessageSid) were already handed to a conversation, so a webhook Twilio repeats is
 * acknowledged without being delivered twice. Bounded (oldest forgotten first) and per process: the conversation
 * workflow also deduplicates by message id, which covers repeats that reach another gateway instance.
 */
export class SeenIds {
  private readonly seen = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly max = 20_000) {}

  has(id: string): boolean {
    return this.seen.has(id);
  }

  /**
   * Runs `work` once per id: a repeat that arrives while the first is running waits for it; a repeat after it
   * succeeded does nothing. A failed run is forgotten, so Twilio's retry can try again. Returns true when this call
   * did the work.
   */
  async once(id: string, work: () => Promise<void>): Promise<boolean> {
    if (this.seen.has(id)) return false;
    const running = this.inFlight.get(id);
    if (running) {
      await running;
      return false;
    }
    const run = work();
    this.inFlight.set(id, run);
    try {
      await run;
      this.seen.add(id);
      if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value!);
      return true;
    } finally {
      this.inFlight.delete(id);
    }
  }
}
