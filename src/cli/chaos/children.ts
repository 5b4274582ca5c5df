import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The child processes of a chaos run, each in its own process group so one signal reaches the program and whatever
 * it started (tsx runs the script in a second node process). Every live group is listed in a file that a detached
 * watchdog reads: if this process is killed outright (no exit handlers run), the watchdog kills the groups and removes
 * the run directory, so a chaos run never leaves servers behind. A run that ends normally and keeps its directory
 * marks it with `.finished` ({@link Children.finish}), which the watchdog leaves alone.
 */

export interface Child {
  name: string;
  pid: number;
  /** Epoch ms of the spawn. */
  startedAt: number;
  /** Resolves with the exit code (or the signal's name) once the process group leader is gone. */
  exited: Promise<number | string>;
  /** Whether the process has exited. */
  done(): boolean;
  /** Resolves when a line of its output matches, or rejects when it exits first or `ms` pass. */
  waitForLine(pattern: RegExp, ms: number): Promise<void>;
  /** The last lines of its log, to quote in an error. */
  tail(lines?: number): string;
  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void;
}

export class ChildFailedError extends Error {
  override name = 'ChildFailedError';
}

export class Children {
  private readonly live = new Map<number, Child>();
  private readonly registry: string;

  constructor(private readonly runDir: string) {
    this.registry = path.join(runDir, 'process-groups');
    fs.writeFileSync(this.registry, '');
    spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null && [ -d '${runDir}' ]; do sleep 1; done; ` +
          `if [ -d '${runDir}' ] && [ ! -e '${runDir}/.finished' ]; then for g in $(cat '${this.registry}' 2>/dev/null); do kill -9 -$g 2>/dev/null; done; rm -rf '${runDir}'; fi`,
      ],
      { detached: true, stdio: 'ignore' },
    ).unref();
  }

  /** Starts `command args` with its output appended to `<runDir>/<logName>.log`. */
  start(name: string, command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; logName: string }): Child {
    const logFile = path.join(this.runDir, `${options.logName}.log`);
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    log.write(`--- ${new Date().toISOString()} ${name} starts\n`);
    const proc: ChildProcess = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (proc.pid === undefined) throw new ChildFailedError(`could not start ${name} (${command}); is it installed?`);
    const pid = proc.pid;
    const recent: string[] = [];
    const watchers = new Set<(line: string) => void>();
    let partial = '';
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 40) recent.shift();
        for (const w of watchers) w(line);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    let finished = false;
    const exited = new Promise<number | string>((resolve) => {
      proc.once('exit', (code, signal) => {
        finished = true;
        this.live.delete(pid);
        this.writeRegistry();
        log.end(`--- ${new Date().toISOString()} ${name} exited (${signal ?? code})\n`);
        resolve(signal ?? code ?? -1);
      });
    });
    const child: Child = {
      name,
      pid,
      startedAt: Date.now(),
      exited,
      done: () => finished,
      tail: (n = 15) => recent.slice(-n).join('\n'),
      signal: (signal) => {
        if (finished) return;
        try {
          process.kill(-pid, signal);
        } catch {
          // the group is already gone
        }
      },
      waitForLine: (pattern, ms) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => finish(new ChildFailedError(`${name} did not get ready within ${Math.round(ms / 1000)} s; its log ends:\n${child.tail()}`)), ms);
          const watcher = (line: string) => {
            if (pattern.test(line)) finish();
          };
          const finish = (error?: Error) => {
            clearTimeout(timer);
            watchers.delete(watcher);
            if (error) reject(error);
            else resolve();
          };
          watchers.add(watcher);
          void exited.then((how) => finish(new ChildFailedError(`${name} exited (${how}) before it was ready; its log ends:\n${child.tail()}`)));
        }),
    };
    this.live.set(pid, child);
    this.writeRegistry();
    return child;
  }

  /** SIGTERM to every live group, SIGKILL to what is left after `graceMs`. */
  async stopAll(graceMs = 5_000): Promise<void> {
    const all = [...this.live.values()];
    for (const c of all) c.signal('SIGTERM');
    const timer = setTimeout(() => all.forEach((c) => c.signal('SIGKILL')), graceMs);
    await Promise.all(all.map((c) => c.exited));
    clearTimeout(timer);
  }

  /** For an exit handler, where nothing asynchronous runs: SIGKILL to every live group at once. */
  killAllNow(): void {
    for (const c of this.live.values()) c.signal('SIGKILL');
  }

  /** Tells the watchdog that this run ended normally: a kept run directory stays. */
  finish(): void {
    try {
      fs.writeFileSync(path.join(this.runDir, '.finished'), '');
    } catch {
      // already removed
    }
  }

  private writeRegistry(): void {
    try {
      fs.writeFileSync(this.registry, [...this.live.keys()].join('\n'));
    } catch {
      // the run directory is being removed
    }
  }
}
