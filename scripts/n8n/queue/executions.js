// @ts-check
'use strict';
// A queue cluster's executions as PostgreSQL has them (execution_entity, with execution_data when
// asked), each joined to what the processes' logs say about it (traces.js).
const { parseExecutionData } = require('../editor');
const { runItems } = require('../run-data');

/** @typedef {import('./types').QueueCluster} QueueCluster */
/** @typedef {import('./types').QueueExecution} QueueExecution */
/** @typedef {import('./types').ExecutionFilter} ExecutionFilter */
/** @typedef {import('./types').ExecutionTrace} ExecutionTrace */
/** @typedef {import('../run-data').RunItem} RunItem */

/**
 * The executions that pass `filter`, oldest first.
 * @param {QueueCluster['query']} query @param {(id: string) => ExecutionTrace} traceOf @param {ExecutionFilter} [filter]
 * @returns {Promise<QueueExecution[]>}
 */
async function readExecutions(query, traceOf, filter = {}) {
	const where = ['e.id > $1'];
	/** @type {unknown[]} */
	const params = [filter.afterId ?? 0];
	if (filter.workflowId !== undefined) {
		params.push(filter.workflowId);
		where.push(`e."workflowId" = $${params.length}`);
	}
	const columns = 'e.id, e."workflowId", e.status, e.mode, e."createdAt", e."startedAt", e."stoppedAt", e."retryOf"';
	const rows = await query(
		filter.withData
			? `SELECT ${columns}, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE ${where.join(' AND ')} ORDER BY e.id`
			: `SELECT ${columns} FROM execution_entity e WHERE ${where.join(' AND ')} ORDER BY e.id`,
		params,
	);
	return rows.map((row) => {
		const id = Number(row.id);
		const trace = traceOf(String(id));
		const done = !['new', 'running', 'waiting', 'unknown'].includes(row.status);
		/** @type {QueueExecution} */
		const execution = {
			id,
			workflowId: row.workflowId,
			status: row.status,
			mode: row.mode,
			done,
			createdAt: row.createdAt,
			startedAt: row.startedAt,
			stoppedAt: row.stoppedAt,
			retryOf: row.retryOf,
			worker: trace.startedBy[trace.startedBy.length - 1],
			trace: { ...trace, startedBy: [...trace.startedBy], finishedBy: [...trace.finishedBy] },
		};
		if (filter.withData && done && typeof row.data === 'string') execution.data = parseExecutionData(row.data);
		return execution;
	});
}

/**
 * The items `nodeName` output in an execution read with `withData` (its first output), or undefined.
 * @param {QueueExecution} execution
 * @param {string} nodeName
 * @returns {RunItem[] | undefined}
 */
function executionItems(execution, nodeName) {
	return execution.data ? runItems({ data: execution.data }, nodeName) : undefined;
}

module.exports = { readExecutions, executionItems };
