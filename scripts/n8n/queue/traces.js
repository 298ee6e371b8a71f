// @ts-check
'use strict';
// Which worker ran an execution: n8n does not store it in the database. Each worker logs
// "Worker started execution <id> (job <job>)" and "Worker finished execution <id>", and whichever
// process enqueued it logs "Enqueued execution <id> (job <job>)"; traceLine() reads these lines
// from each process's output, traceOf() says what they told about one execution.

/** @typedef {import('./types').ExecutionTrace} ExecutionTrace */

/** @returns {{ traceOf: (id: string) => ExecutionTrace, traceLine: (processName: string, line: string) => void }} */
function createTraces() {
	/** @type {Map<string, ExecutionTrace>} */
	const traces = new Map();
	/** @param {string} id */
	const traceOf = (id) => {
		let trace = traces.get(id);
		if (!trace) {
			trace = { enqueuedBy: undefined, startedBy: [], finishedBy: [] };
			traces.set(id, trace);
		}
		return trace;
	};
	/** @param {string} processName @param {string} line */
	function traceLine(processName, line) {
		let match = /Enqueued execution (\d+) \(job /.exec(line);
		if (match) traceOf(match[1]).enqueuedBy = processName;
		match = /Worker started execution (\d+) \(job /.exec(line);
		if (match) traceOf(match[1]).startedBy.push(processName);
		match = /Worker finished execution (\d+) \(job /.exec(line);
		if (match) traceOf(match[1]).finishedBy.push(processName);
	}
	return { traceOf, traceLine };
}

module.exports = { createTraces };
