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
  'codetrail.approveTask': 'Approve Task for Export',
  'codetrail.withdrawApproval': 'Withdraw Approval',
  'codetrail.redactInTask': 'Redact Text Everywhere in Task…',
  'codetrail.deleteTaskSession': 'Delete Session from Task…',
  'codetrail.refreshRecordings': 'Refresh Recordings',
  'codetrail.exportTasks': 'Export Approved Tasks…',
  'codetrail.createPolicy': 'Create a Team Policy…',
} as const;

export type CommandId = keyof typeof COMMAND_TITLES;
