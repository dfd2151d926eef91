// A task as the Codetrail view and `codetrail tasks` show it: title, outcome, duration, replay
// status, approval and its sessions, computed from the task's records.
import type { ReplayStatus } from '../replay/verify';
import type { EventRecord } from '../schema/events';
import { approvalOf, recordedWork } from './approval';

export interface SessionSummary {
  session: string;
  startedAt: number;
  endedAt: number;
  events: number;
}

export interface TaskSummary {
  task: string;
  repo: string;
  title: string;
  outcome: 'solved' | 'partial' | 'abandoned' | null;
  startedAt: number;
  endedAt: number;
  events: number;
  approved: boolean;
  status: ReplayStatus;
  sessions: SessionSummary[];
}

export interface RepoSummary {
  repo: string;
  tasks: TaskSummary[];
}

export function summarizeTask(task: string, all: readonly EventRecord[], status: ReplayStatus): TaskSummary {
  // Review decisions are left out of sessions, times and counts: reviewing is not working on the task.
  const events = recordedWork(all);
  const start = events.find((e) => e.kind === 'task.start');
  const end = [...events].reverse().find((e) => e.kind === 'task.end');
  const sessions = new Map<string, SessionSummary>();
  for (const e of events) {
    const s = sessions.get(e.session);
    if (s) {
      s.endedAt = Math.max(s.endedAt, e.ts);
      s.events += 1;
    } else sessions.set(e.session, { session: e.session, startedAt: e.ts, endedAt: e.ts, events: 1 });
  }
  return {
    task,
    repo: all[0]?.repo ?? '',
    title: start?.kind === 'task.start' ? start.data.title : '(task started before this store)',
    outcome: end?.kind === 'task.end' ? end.data.outcome : null,
    startedAt: events[0]?.ts ?? 0,
    endedAt: events[events.length - 1]?.ts ?? 0,
    events: events.length,
    approved: approvalOf(all),
    status,
    sessions: [...sessions.values()].sort((a, b) => a.startedAt - b.startedAt),
  };
}
