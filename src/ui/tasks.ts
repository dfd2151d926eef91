// What works on recorded tasks after the fact (review, the task index, export) is its own bundle,
// dist/tasks.js, required the first time the engineer opens a view, a panel or an export: while
// recording, the extension host holds none of its code (loadTasks.ts says how it is loaded).
export { recordReview, approvalOf } from '../core/review/approval';
export { isStepRecord, TaskReview } from '../core/review/reviewModel';
export { deleteRecords } from '../core/review/stepDeletion';
export { loadTask, rewriteTask } from '../core/review/taskRewrite';
export { checkWord, redactWordInTask, remainingOccurrences } from '../core/review/wordRedaction';
export { startingContent } from '../core/review/startingContent';
export { indexStore } from '../core/review/taskIndex';
export { verifyTask } from '../core/replay/verify';
export { EXPORT_FORMATS, exportStore } from '../core/export/exporter';
export { parseFromWebview } from './review/protocol';
