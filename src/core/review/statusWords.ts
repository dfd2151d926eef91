import type { ReplayStatus } from '../replay/verify';

/** A replay verdict in plain words, for people (exports and the CLI keep the status names). */
export function replayWords(status: ReplayStatus): string {
  switch (status) {
    case 'exact':
      return 'replays exactly';
    case 'diverged':
      return 'replay differs from what was saved';
    case 'unverified':
      return 'replay not fully checked';
    case 'no-commits':
      return 'nothing committed to check';
    default:
      return String(status);
  }
}
