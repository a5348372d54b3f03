// The daemon's start flags, as every start of it we make passes them (src/shared/daemon-v8-flags.ts,
// DAEMON_START_FLAGS; test/unit/daemon-start-flags.test.ts pins the two equal): the bench measures
// the daemon the extension, `mcplexer connect` and `npm start` run.
export const DAEMON_START_FLAGS = ['--max-semi-space-size=8'];
