/** What tests of the service and of its clients run against: the service over in-memory stores, answering in-process or over loopback, and a canned server for what it does not answer. */
export { createTestService, sleepBlock, TEST_KEYS, TEST_WORKSPACE, type TestService, type TestServiceOptions } from "./test-service.js";
export { RecordedApi } from "./recorded-api.js";
export { CannedServer, type Reply } from "./canned-server.js";
export type { Received } from "./received.js";
export { BLUR_WORKFLOW, ECHO_WORKFLOW, overrunWorkflow, REVIEW_WORKFLOW, SLOW_WORKFLOW } from "./test-workflows.js";
export { BATCH_JOB, cannedBatchJobs } from "./canned-batch-jobs.js";
export { streamText } from "./stream-text.js";
