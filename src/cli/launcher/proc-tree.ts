import fs from 'node:fs';

/** What /proc says about one process. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** CPU time used, user + system, its own and its reaped children's, in clock ticks. */
  ticks: number;
  /** Start time in ticks since boot: with the pid, names a process across samples. */
  start: number;
}

/** Linux's USER_HZ, the unit of /proc times: 100 on every architecture Node runs on. */
export const TICKS_PER_SECOND = 100;

/** /proc/<pid>/stat, or null when the process is gone (or this is not Linux). */
export function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name, in parentheses, may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5): ppid 4, utime 14, stime 15, cutime 16, cstime 17, starttime 22.
  // Reaped children's time moves into cutime/cstime, so a tree's sum does not drop when one exits.
  const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  return { pid, ppid: Number(fields[1]), ticks, start: Number(fields[19]) };
}

/** Resident memory of a process in bytes (VmRSS), 0 when gone. */
export function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenFromTasks(pid: number): number[] | null {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) children.push(...text.split(' ').map(Number));
    } catch (error) {
      // Kernels without CONFIG_PROC_CHILDREN have no such file: scan every process instead.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync(`/proc/${pid}/task/${task}`)) return null;
    }
  }
  return children;
}

/** Every process of the tree under `root` (itself included), with its stat. */
export function processTree(root: number): ProcStat[] {
  const rootStat = readStat(root);
  if (!rootStat) return [];
  const tree = [rootStat];
  const viaTasks = childrenFromTasks(root);
  if (viaTasks !== null) {
    for (let i = 0; i < tree.length; i++) {
      const kids = i === 0 ? viaTasks : (childrenFromTasks(tree[i]!.pid) ?? []);
      for (const kid of kids) {
        const stat = readStat(kid);
        if (stat) tree.push(stat);
      }
    }
    return tree;
  }
  const byParent = new Map<number, ProcStat[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) byParent.set(stat.ppid, [...(byParent.get(stat.ppid) ?? []), stat]);
  }
  for (let i = 0; i < tree.length; i++) tree.push(...(byParent.get(tree[i]!.pid) ?? []));
  return tree;
}
