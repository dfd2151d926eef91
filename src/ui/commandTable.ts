// Command ids and titles, free of `vscode` so a plain-Node test can hold package.json to them.
export const COMMAND_TITLES = {
  'codetrail.giveConsent': 'Review Policy and Consent to Recording',
  'codetrail.revokeConsent': 'Withdraw Consent and Stop Recording',
  'codetrail.pause': 'Pause Recording',
  'codetrail.resume': 'Resume Recording',
  'codetrail.startTask': 'Start a Coding Task…',
  'codetrail.endTask': 'End the Coding Task…',
  'codetrail.deleteSession': 'Delete This Session’s Recordings…',
  'codetrail.deleteTask': 'Delete a Task’s Recordings…',
  'codetrail.deleteRepositoryData': 'Delete Everything Recorded for a Repository…',
  'codetrail.flush': 'Write Buffered Events to Disk',
  'codetrail.showMenu': 'Show Recording Menu',
  'codetrail.openStore': 'Reveal Recordings Folder',
  'codetrail.openReview': 'Review a Recorded Task…',
  'codetrail.approveTask': 'Approve a Task for Export…',
  'codetrail.withdrawApproval': 'Withdraw a Task’s Approval for Export…',
  'codetrail.redactInTask': 'Redact Text Everywhere in Task…',
  'codetrail.deleteTaskSession': 'Delete Session from Task…',
  'codetrail.refreshRecordings': 'Refresh Recordings',
  'codetrail.exportTasks': 'Export Approved Tasks…',
  'codetrail.createPolicy': 'Create a Team Policy…',
} as const;

export type CommandId = keyof typeof COMMAND_TITLES;

/**
 * The same commands, in the context menu of a task or session in the Codetrail view: the item
 * already says which task, so the titles are short. Hidden from the Command Palette.
 */
export const ITEM_COMMANDS = {
  'codetrail.item.review': { runs: 'codetrail.openReview', title: 'Review' },
  'codetrail.item.approve': { runs: 'codetrail.approveTask', title: 'Approve for Export' },
  'codetrail.item.withdrawApproval': { runs: 'codetrail.withdrawApproval', title: 'Withdraw Approval' },
  'codetrail.item.redact': { runs: 'codetrail.redactInTask', title: 'Redact Text…' },
  'codetrail.item.delete': { runs: 'codetrail.deleteTask', title: 'Delete…' },
  'codetrail.item.deleteSession': { runs: 'codetrail.deleteTaskSession', title: 'Delete Session…' },
} as const satisfies Record<string, { runs: CommandId; title: string }>;

/** The title bar actions of the problem statement's editor (ui/statementEditor.ts), hidden from the palette. */
export const STATEMENT_COMMANDS = {
  'codetrail.statement.start': 'Start Task',
  'codetrail.statement.cancel': 'Cancel',
} as const;
