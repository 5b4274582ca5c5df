import type { Child } from './children';

/**
 * Keeps one instance of a program running, as systemd or Kubernetes would: an instance that exits on its own is
 * started again after a second and counted. For the worker it is also the fault: `killAndReplace` SIGKILLs the
 * instance (the whole process group, mid-activity or not) and starts the next one at once.
 */
export interface SupervisorStats {
  starts: number;
  kills: number;
  /** ms from spawn to its ready line, per instance that got there. */
  readyMs: number[];
  /** Instances killed before they were ready. */
  killedBeforeReady: number;
  /** Exits nobody asked for: code or signal, and the last log lines. */
  unexpectedExits: { at: number; how: number | string; tail: string }[];
}

export class Supervisor {
  readonly stats: SupervisorStats = { starts: 0, kills: 0, readyMs: [], killedBeforeReady: 0, unexpectedExits: [] };
  private current?: { child: Child; ready: boolean; killed: boolean };
  private stopping = false;

  constructor(
    private readonly name: string,
    private readonly launch: () => Child,
    private readonly readyLine: RegExp,
    /** Epoch ms that `unexpectedExits[].at` counts from. */
    private readonly origin: () => number,
  ) {}

  /** Starts the first instance and waits until it is ready. */
  async start(readyWithinMs: number): Promise<void> {
    const child = this.spawn();
    await child.waitForLine(this.readyLine, readyWithinMs);
  }

  /** SIGKILLs the running instance and starts the next at once. */
  killAndReplace(): void {
    const running = this.current;
    if (!running || this.stopping) return;
    running.killed = true;
    this.stats.kills += 1;
    if (!running.ready) this.stats.killedBeforeReady += 1;
    running.child.signal('SIGKILL');
    this.spawn();
  }

  /** Whether the current instance has said it is ready. */
  isReady(): boolean {
    return this.current?.ready ?? false;
  }

  /** Waits until an instance is ready (after the faults stop), or `ms` pass. */
  async waitReady(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.isReady() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return this.isReady();
  }

  /** No more restarts; the caller stops the processes (Children.stopAll). */
  stop(): void {
    this.stopping = true;
  }

  private spawn(): Child {
    const child = this.launch();
    const entry = { child, ready: false, killed: false };
    this.current = entry;
    this.stats.starts += 1;
    child
      .waitForLine(this.readyLine, 10 * 60_000)
      .then(() => {
        entry.ready = true;
        this.stats.readyMs.push(Date.now() - child.startedAt);
      })
      .catch(() => undefined);
    void child.exited.then((how) => {
      if (entry.killed || this.stopping) return;
      this.stats.unexpectedExits.push({ at: Date.now() - this.origin(), how, tail: child.tail(8) });
      if (this.current === entry) setTimeout(() => !this.stopping && this.current === entry && this.spawn(), 1000);
    });
    return child;
  }

  toString(): string {
    return this.name;
  }
}
