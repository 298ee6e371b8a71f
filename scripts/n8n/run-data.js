// @ts-check
'use strict';
// n8n's run object (IRun) as `n8n execute --rawOutput` prints it and the REST API returns it:
// finding it in a command's output, the items a node output, the error of a failed run.

/**
 * One item a node output.
 * @typedef {{
 *   json: Record<string, unknown>,
 *   pairedItem?: { item: number, input?: number } | Array<{ item: number, input?: number }> | number,
 *   [key: string]: unknown,
 * }} RunItem
 */

/**
 * One run of one node in a workflow run.
 * @typedef {{
 *   data?: { main?: RunItem[][] },
 *   error?: { message?: string, [key: string]: unknown },
 *   executionStatus?: string,
 *   [key: string]: unknown,
 * }} TaskRun
 */

/**
 * The `data` of a run: every node's runs, the last node that ran, the run's error.
 * @typedef {{
 *   resultData: {
 *     runData: Record<string, TaskRun[]>,
 *     lastNodeExecuted?: string,
 *     error?: { message?: string, description?: string, name?: string, [key: string]: unknown },
 *   },
 *   [key: string]: unknown,
 * }} N8nRunData
 */

/**
 * n8n's IRun, as printed by `n8n execute --rawOutput` (the REST API's execution has the same `data`).
 * @typedef {{ status?: string, finished?: boolean, mode?: string, data: N8nRunData, [key: string]: unknown }} N8nRun
 */

/**
 * Every balanced top-level JSON object in `text` whose opening brace starts a line, parsed.
 * @param {string} text
 * @returns {unknown[]}
 */
function jsonBlocks(text) {
	const blocks = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				blocks.push(JSON.parse(lines.slice(i, j + 1).join('\n')));
				i = j;
				break;
			} catch {
				// not this closing brace; keep looking
			}
		}
	}
	return blocks;
}

/**
 * Log lines n8n printed as JSON (N8N_LOG_FORMAT=json), parsed; other lines are skipped.
 * @param {string} text
 * @returns {Array<{ message: string, level: string, [key: string]: unknown }>}
 */
function jsonLogLines(text) {
	const entries = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('{"') || !line.endsWith('}')) continue;
		try {
			const entry = JSON.parse(line);
			if (typeof entry.message === 'string' && entry.level) entries.push(entry);
		} catch {
			// not a log line
		}
	}
	return entries;
}

/**
 * @param {any} value
 * @returns {value is N8nRun}
 */
function isRun(value) {
	return !!value && typeof value === 'object' && !!value.data && !!value.data.resultData;
}

/**
 * Finds n8n's run object (IRun) in the output of `n8n execute --rawOutput`, for successful and failed runs.
 * @param {string} stdout
 * @returns {N8nRun | undefined}
 */
function parseRun(stdout) {
	// Success: `--rawOutput` prints JSON.stringify(run, null, 2) as the last block.
	const blocks = jsonBlocks(stdout).filter(isRun);
	if (blocks.length > 0) return blocks[blocks.length - 1];
	// Failure: n8n logs the run as one log message (a JSON log line with N8N_LOG_FORMAT=json).
	for (const entry of jsonLogLines(stdout).reverse()) {
		const start = entry.message.indexOf('{');
		if (start === -1) continue;
		try {
			const value = JSON.parse(entry.message.slice(start));
			if (isRun(value)) return value;
		} catch {
			// keep looking
		}
	}
	return undefined;
}

/**
 * The output items ([{ json, pairedItem, ... }]) of `nodeName` (or of the last node that ran) in a run.
 * @param {N8nRun | undefined} runObject
 * @param {string} [nodeName]
 * @returns {RunItem[] | undefined}
 */
function runItems(runObject, nodeName) {
	const runData = runObject?.data?.resultData?.runData ?? {};
	const name = nodeName ?? runObject?.data?.resultData?.lastNodeExecuted;
	const taskRuns = name === undefined ? undefined : runData[name];
	if (!taskRuns || taskRuns.length === 0) return undefined;
	/** @type {RunItem[]} */
	const items = [];
	for (const task of taskRuns) items.push(...(task.data?.main?.[0] ?? []));
	return items;
}

/**
 * A short, human-readable error message of a failed run (n8n's own text), or undefined.
 * @param {N8nRun | undefined} runObject
 * @param {string} [logText] n8n's output, searched when there is no run
 * @returns {string | undefined}
 */
function runErrorMessage(runObject, logText) {
	const error = runObject?.data?.resultData?.error;
	if (error) return [error.message, error.description].filter(Boolean).join(' — ');
	// No run (e.g. n8n refused the workflow before starting it): n8n's own error log lines,
	// without its generic preamble and the stack trace.
	const messages = jsonLogLines(logText ?? '')
		.filter((entry) => entry.level === 'error')
		.map((entry) => entry.message.trim())
		.filter((message) => message && !/^Error executing workflow/.test(message) && !/^Execution error:?$/.test(message))
		.filter((message) => !/\n\s+at /.test(message));
	return messages.length > 0 ? [...new Set(messages)].join('\n') : undefined;
}

module.exports = { parseRun, runItems, runErrorMessage };
