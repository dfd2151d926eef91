// The redaction engine's public face: finds secrets and personal data in text and replaces them
// with stable placeholders before anything reaches disk. Synchronous and dependency-free, so the
// extension host can run it on every edit burst and the CLI over whole stores.
export type { Finding } from './finding';
export { findSecrets } from './findSecrets';
export { placeholder } from './placeholder';
export { redact } from './redactor';
export { findSuspectTokens, mayContainSecretPrefix } from './partial';
export { REDACTION_RULES_VERSION, rulesFingerprint } from './version';
