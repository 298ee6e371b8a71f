// @ts-check
'use strict';
// The benchmark's progress lines on stderr, stamped with the seconds since it started.

const started = Date.now();

/** @param {string} message */
function log(message) {
	const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
	process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Whole seconds since the benchmark started. */
const elapsedSeconds = () => Math.round((Date.now() - started) / 1000);

module.exports = { log, elapsedSeconds };
