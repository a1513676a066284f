import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * CPU time and memory of processes by pid, read from Linux's /proc: the
 * services are separate Node processes (and Kafka and the database are
 * container processes visible on the host), so their cost is measured from
 * the outside, without instrumenting them.
 */

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** User plus system CPU time in clock ticks. */
  readonly cpuTicks: number;
}

export interface ProcMemory {
  /** Resident set size now (VmRSS), bytes. */
  readonly rssBytes: number;
  /** Peak resident set size over the process's life (VmHWM), bytes. */
  readonly hwmBytes: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and
 * may itself contain spaces and parentheses, so fields are counted from the
 * last ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const pid = Number(text.slice(0, open).trim());
  // After the name: field 3 (state) is index 0, so field n is index n - 3.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`field ${n} of /proc/${pid}/stat is not a number`);
    return value;
  };
  // 4 = ppid, 14 = utime, 15 = stime (clock ticks).
  return { pid, ppid: field(4), cpuTicks: field(14) + field(15) };
}

/** Parses VmRSS and VmHWM from /proc/<pid>/status (values in kB). Kernel threads have neither: 0. */
export function parseProcStatus(text: string): ProcMemory {
  const kb = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
}

/** Aggregate CPU time of the whole machine from the first line of /proc/stat, in clock ticks. */
export interface MachineCpu {
  readonly busyTicks: number;
  readonly totalTicks: number;
}

export function parseMachineCpu(text: string): MachineCpu {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  // user nice system idle iowait irq softirq steal (guest times are already inside user/nice).
  const values = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map((v) => Number(v));
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busyTicks: busy, totalTicks: busy + idle + iowait };
}

let clockTicksPerSecond: number | undefined;

/** USER_HZ: the unit of the times in /proc (almost always 100). */
export function clockTicks(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
      clockTicksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
    } catch {
      // getconf missing: Linux has used USER_HZ = 100 on every mainstream architecture for decades.
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    // The process ended between listing and reading: not an error for a sampler.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') {
      return undefined;
    }
    throw error;
  }
}

/** CPU ticks and memory of one process now; undefined when it no longer exists. */
export function readProcess(pid: number): (ProcStat & ProcMemory) | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  const status = readText(`/proc/${pid}/status`);
  if (stat === undefined || status === undefined) return undefined;
  return { ...parseProcStat(stat), ...parseProcStatus(status) };
}

/** The machine's aggregate CPU counters now. */
export function readMachineCpu(): MachineCpu {
  return parseMachineCpu(fs.readFileSync('/proc/stat', 'utf8'));
}

/** Every live process's parent, for finding the descendants of a root (a container's java under its shell). */
function parentMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (stat === undefined) continue;
    const { pid, ppid } = parseProcStat(stat);
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  return children;
}

/** The pid and all its descendants (bounded: at most 10,000 processes). */
export function processTree(root: number): number[] {
  const children = parentMap();
  const result: number[] = [];
  const queue = [root];
  while (queue.length > 0 && result.length < 10_000) {
    const pid = queue.shift() as number;
    result.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return result;
}

/** One measured process (or process tree) of the run. */
export interface ProcessTarget {
  readonly name: string;
  readonly pid: number;
  /** Include descendants (containers: the engine's init or a shell runs the real server). */
  readonly tree: boolean;
}

export interface ProcessUsage {
  readonly name: string;
  readonly pid: number;
  /** CPU seconds (user + system) used inside the window, summed over the tree. */
  readonly cpuSeconds: number;
  /** Mean CPU use in the window as a share of one core (1.0 = one core busy). */
  readonly cores: number;
  /** Largest sampled resident set (summed over the tree) inside the window, bytes. */
  readonly peakRssBytes: number;
  /** Lifetime peak (VmHWM) of the root process at the end of the window, bytes. */
  readonly hwmBytes: number;
  /** False when the process was gone before the window ended (a crash shows here). */
  readonly aliveAtEnd: boolean;
}

export interface UsageWindow {
  readonly seconds: number;
  readonly processes: readonly ProcessUsage[];
  /** CPU the whole machine used in the window, in cores. */
  readonly machineCores: number;
  /** Machine CPU not accounted for by the measured processes: other people's work (noise), in cores. */
  readonly otherCores: number;
}

interface Tracked {
  target: ProcessTarget;
  pids: number[];
  startTicks: number;
  /** Ticks of pids that were seen and have since ended, so a shrinking tree does not lose time. */
  lastTicks: Map<number, number>;
  peakRss: number;
  hwm: number;
  alive: boolean;
}

/**
 * Samples a set of processes at a fixed interval and reports, per window
 * (one load phase), the CPU each used and its peak memory. CPU time is read
 * from cumulative counters, so it is exact regardless of the interval; the
 * peak RSS inside a window is sampled (the lifetime peak VmHWM is exact).
 */
export class ProcessMonitor {
  private tracked: Tracked[] = [];
  private timer: NodeJS.Timeout | undefined;
  private windowStarted = 0;
  private machineStart: MachineCpu = { busyTicks: 0, totalTicks: 0 };

  constructor(private readonly intervalMs = 500) {}

  /** Starts a window over these targets (replacing the previous ones). */
  begin(targets: readonly ProcessTarget[]): void {
    this.tracked = targets.map((target) => {
      const pids = target.tree ? processTree(target.pid) : [target.pid];
      const lastTicks = new Map<number, number>();
      let startTicks = 0;
      let rss = 0;
      let hwm = 0;
      let alive = false;
      for (const pid of pids) {
        const sample = readProcess(pid);
        if (!sample) continue;
        if (pid === target.pid) {
          alive = true;
          hwm = sample.hwmBytes;
        }
        lastTicks.set(pid, sample.cpuTicks);
        startTicks += sample.cpuTicks;
        rss += sample.rssBytes;
      }
      return { target, pids, startTicks, lastTicks, peakRss: rss, hwm, alive };
    });
    this.windowStarted = performance.now();
    this.machineStart = readMachineCpu();
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
  }

  private sample(): void {
    for (const tracked of this.tracked) {
      // Containers may fork (e.g. a JVM helper); refresh the tree each sample.
      if (tracked.target.tree) {
        for (const pid of processTree(tracked.target.pid)) if (!tracked.pids.includes(pid)) tracked.pids.push(pid);
      }
      let rss = 0;
      for (const pid of tracked.pids) {
        const sample = readProcess(pid);
        if (!sample) continue;
        if (!tracked.lastTicks.has(pid) && pid !== tracked.target.pid) {
          // A new descendant: its time so far belongs to the window only from now on.
          tracked.startTicks += sample.cpuTicks;
        }
        tracked.lastTicks.set(pid, sample.cpuTicks);
        rss += sample.rssBytes;
        if (pid === tracked.target.pid) tracked.hwm = sample.hwmBytes;
      }
      tracked.alive = readProcess(tracked.target.pid) !== undefined;
      if (rss > tracked.peakRss) tracked.peakRss = rss;
    }
  }

  /** Ends the current window and returns what each process used in it. */
  end(): UsageWindow {
    this.sample();
    const seconds = (performance.now() - this.windowStarted) / 1000;
    const hz = clockTicks();
    const processes = this.tracked.map((t): ProcessUsage => {
      let ticks = 0;
      for (const value of t.lastTicks.values()) ticks += value;
      const cpuSeconds = Math.max(0, ticks - t.startTicks) / hz;
      return {
        name: t.target.name,
        pid: t.target.pid,
        cpuSeconds,
        cores: seconds > 0 ? cpuSeconds / seconds : 0,
        peakRssBytes: t.peakRss,
        hwmBytes: t.hwm,
        aliveAtEnd: t.alive,
      };
    });
    const machine = readMachineCpu();
    const machineSeconds = (machine.busyTicks - this.machineStart.busyTicks) / hz;
    const measured = processes.reduce((a, p) => a + p.cpuSeconds, 0);
    return {
      seconds,
      processes,
      machineCores: seconds > 0 ? machineSeconds / seconds : 0,
      otherCores: seconds > 0 ? Math.max(0, machineSeconds - measured) / seconds : 0,
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** CPU seconds (user + system) a process has used so far; undefined when it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  const sample = readProcess(pid);
  return sample ? sample.cpuTicks / clockTicks() : undefined;
}
