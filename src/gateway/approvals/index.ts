/**
 * approvals: calls that wait for a person (issue 17 "Approvals"). Pending requests with their
 * timeouts, exactly one resolution from whichever channel answers first (the dashboard over REST,
 * the calling client's user through elicitation, another agent through the `mcpx` tools), the
 * events `pending` and `resolved`, and the `ApprovalStore` the records live in (in memory here;
 * audit's SQLite store in `audit.db`). README.md has the decisions.
 */
export { ApprovalService, APPROVAL_CHANNELS, type ApprovalChannel, type ApprovalRequest, type PendingApproval, type ResolveInput } from './service.js';
export { MemoryApprovalStore, DEFAULT_LIST_LIMIT, type ApprovalRecord, type ApprovalStore } from './store.js';
export { EVENT_NAMES, type ApprovalEvent, type ApprovalListener } from './events.js';
export { approvalElicitation, readElicitationAnswer } from './client-prompt.js';
export { approverLabel, deniedText, timeoutText, JUSTIFICATION_REQUIRED_TEXT, RESOLUTIONS } from './wording.js';
