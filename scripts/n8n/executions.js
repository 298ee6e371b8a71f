// @ts-check
'use strict';
// The executions an n8n home has saved, read straight from its SQLite database (read-only, while
// n8n runs): what the trigger tests count, thousands at a time, faster than the REST API pages them.
const path = require('node:path');

const { parseExecutionData } = require('./editor');
const { runItems } = require('./run-data');

/** @typedef {import('./run-data').RunItem} RunItem */
/** @typedef {import('./run-data').N8nRunData} N8nRunData */

/**
 * One saved execution.
 * @typedef {object} SavedExecution
 * @property {number} id
 * @property {string} workflowId
 * @property {string} status new, running, success, error, crashed, canceled, waiting
 * @property {string} mode webhook, trigger, manual, ...
 * @property {boolean} done whether it has ended (its data is then complete)
 * @property {N8nRunData} [data] its run data, once done
 */

/** Statuses of an execution that has not ended. */
const UNFINISHED = new Set(['new', 'running', 'waiting', 'unknown']);

/**
 * The executions of `workflowId` (or of every workflow) saved in `home`'s database, oldest first;
 * `withData` also parses the run data of those that have ended.
 * @param {string} home the N8N_USER_FOLDER
 * @param {{ workflowId?: string, afterId?: number, withData?: boolean }} [options] `afterId`: only executions with a larger id
 * @returns {SavedExecution[]}
 */
function savedExecutions(home, options = {}) {
	// Loaded here: node:sqlite exists from Node 22.5 on, and only callers of this function need it.
	const { DatabaseSync } = require('node:sqlite');
	// timeout: n8n 1.x keeps SQLite in rollback-journal mode, where a read waits while n8n writes
	// (2.x uses WAL, where it never does); without it, that wait is a "database is locked" error.
	const db = new DatabaseSync(path.join(home, '.n8n', 'database.sqlite'), { readOnly: true, timeout: 10000 });
	try {
		const where = ['e.id > ?'];
		/** @type {Array<string | number>} */
		const params = [options.afterId ?? 0];
		if (options.workflowId !== undefined) {
			where.push('e.workflowId = ?');
			params.push(options.workflowId);
		}
		const columns = options.withData ? 'e.id, e.workflowId, e.status, e.mode, d.data' : 'e.id, e.workflowId, e.status, e.mode';
		const join = options.withData ? 'LEFT JOIN execution_data d ON d.executionId = e.id' : '';
		const rows = /** @type {Array<{ id: number | bigint, workflowId: string, status: string, mode: string, data?: string | null }>} */ (
			/** @type {unknown} */ (db.prepare(`SELECT ${columns} FROM execution_entity e ${join} WHERE ${where.join(' AND ')} ORDER BY e.id`).all(...params))
		);
		return rows.map((row) => {
			const done = !UNFINISHED.has(row.status);
			/** @type {SavedExecution} */
			const execution = { id: Number(row.id), workflowId: row.workflowId, status: row.status, mode: row.mode, done };
			if (options.withData && done && typeof row.data === 'string') execution.data = parseExecutionData(row.data);
			return execution;
		});
	} finally {
		db.close();
	}
}

/**
 * The items `nodeName` output in a saved execution (its first output), or undefined.
 * @param {SavedExecution} execution
 * @param {string} nodeName
 * @returns {RunItem[] | undefined}
 */
function savedItems(execution, nodeName) {
	return execution.data ? runItems({ data: execution.data }, nodeName) : undefined;
}

module.exports = { savedExecutions, savedItems };
