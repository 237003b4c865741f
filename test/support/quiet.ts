// Runs before every test file (jest.config.js `setupFiles`). A passing run prints nothing but
// jest's summary: the tests assert on the errors they provoke, so n8n's own reports are noise.
// n8n-core's ErrorReporter logs every node error through @n8n/backend-common's Logger, whose
// winston console transport writes to process.stdout directly (jest's `silent` only mutes
// `console.*`). Level "silent" turns that logger off; it reads N8N_LOG_LEVEL when n8n's config
// is first loaded, which is after this file runs.
//
// RC_TEST_VERBOSE=1 npx jest ...   shows n8n's log and the tests' console output while debugging.
if (process.env.RC_TEST_VERBOSE !== '1') process.env.N8N_LOG_LEVEL = 'silent';
