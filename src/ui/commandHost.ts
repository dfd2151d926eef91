// What commands may reach in the running window: declared here, on the UI side, so commands
// depend on this narrow interface and the composition root (src/codetrail.ts) implements it,
// never the other way round.
import type { TaskController } from '../capture/taskController';
import type { RepositoryTracker } from '../workspace/repositoryTracker';
import type { ConsentFlow } from './consentFlow';
import type { DataCommands } from './dataCommands';
import type { ExportHost } from './exportTasks';
import type { RecordingsView } from './recordingsView';
import type { ReviewPanels } from './review/reviewPanel';
import type { Reviews } from './review/reviews';
import type { TaskControl } from './taskControl';
import type { WalkthroughProgress } from './walkthrough';

export interface CommandHost {
  readonly storePath: string;
  readonly consent: Pick<ConsentFlow, 'give' | 'revoke'>;
  readonly taskControl: Pick<TaskControl, 'isPaused' | 'pause' | 'resume' | 'startTask' | 'endTask'>;
  readonly data: Pick<DataCommands, 'deleteSession' | 'deleteTask' | 'deleteRepositoryData'>;
  readonly repos: Pick<RepositoryTracker, 'all'>;
  readonly tasks: Pick<TaskController, 'current'>;
  readonly reviews: Pick<Reviews, 'approve' | 'redact' | 'deleteTaskSession'>;
  readonly reviewPanels: Pick<ReviewPanels, 'show'>;
  readonly recordings: Pick<RecordingsView, 'refresh' | 'tasks'>;
  readonly walkthrough: Pick<WalkthroughProgress, 'reach'>;
  readonly exportHost: ExportHost;
  /** Everything captured so far, written to the store. */
  flush(): Promise<void>;
}
