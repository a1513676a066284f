import { spawn } from 'node:child_process';
import {
  clockTicks,
  cpuSecondsOf,
  parseMachineCpu,
  parseProcStat,
  parseProcStatus,
  ProcessMonitor,
  processTree,
  readProcess,
} from './process-stats.js';

describe('parsing /proc', () => {
  it('reads ppid and utime+stime, even when the command name has spaces and parentheses', () => {
    const line =
      '4242 (node (my) svc) S 17 4242 17 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 11 0 123456 1234567890 45000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 17, cpuTicks: 325 });
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow(/not a \/proc/);
  });

  it('reads VmRSS and VmHWM in bytes; kernel threads have none', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  180000 kB\nVmRSS:\t  150000 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ rssBytes: 150_000 * 1024, hwmBytes: 180_000 * 1024 });
    expect(parseProcStatus('Name:\tkthreadd\n')).toEqual({ rssBytes: 0, hwmBytes: 0 });
  });

  it('reads busy and total ticks of the machine', () => {
    const stat = 'cpu  100 5 50 1000 20 3 2 0 7 0\ncpu0 50 2 25 500 10 1 1 0 0 0\n';
    expect(parseMachineCpu(stat)).toEqual({ busyTicks: 160, totalTicks: 1180 });
  });
});

describe('live processes', () => {
  it('reads this process and knows when a pid is gone', () => {
    const self = readProcess(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(self?.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(self?.hwmBytes).toBeGreaterThanOrEqual(self?.rssBytes ?? 0);
    expect(readProcess(2 ** 22 + 12345)).toBeUndefined();
    expect(clockTicks()).toBeGreaterThan(0);
    expect(cpuSecondsOf(process.pid)).toBeGreaterThan(0);
  });

  it('measures the CPU a busy child burns and finds it in our process tree', async () => {
    // The child burns a fixed amount of CPU time (not wall time: the machine is shared), reports, and waits.
    const script = [
      'const start = process.cpuUsage();',
      'for (let u = process.cpuUsage(start); u.user + u.system < 800000; u = process.cpuUsage(start)) {}',
      "process.stdout.write('burnt\\n');",
      'setTimeout(() => {}, 10000);',
    ].join(' ');
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = child.pid as number;
    const burnt = new Promise((resolve) => child.stdout?.once('data', resolve));
    expect(processTree(process.pid)).toContain(pid);
    const monitor = new ProcessMonitor(100);
    monitor.begin([{ name: 'busy', pid, tree: false }]);
    await burnt;
    const window = monitor.end();
    monitor.stop();
    child.kill('SIGKILL');
    const usage = window.processes[0];
    expect(usage?.name).toBe('busy');
    expect(usage?.aliveAtEnd).toBe(true);
    expect(usage?.cpuSeconds).toBeGreaterThanOrEqual(0.7);
    expect(usage?.cpuSeconds).toBeLessThan(1.5);
    expect(usage?.peakRssBytes).toBeGreaterThan(0);
    expect(window.machineCores).toBeGreaterThan(0);
  }, 60_000);
});
