// @ts-check
'use strict';
// The shapes of the sends benchmark (sends.js, sends-worker.js, sends-report.js), as JSDoc typedefs
// (nothing here runs); types.js re-exports them, so `import('./types').SendCell` keeps working.

/** @typedef {'sends' | 'wait'} SendScenarioName */
/** The two ways a batch of messages is sent: the node through n8n-core, or a bare fetch loop. @typedef {'baseline' | 'node-core'} SendVariant */

/**
 * One Send Text scenario: `sends` (Wait for Result off: one POST per item) or `wait` (Wait for
 * Result on: the node queues every item, then polls the queued requests until all are done).
 * @typedef {object} SendScenario
 * @property {SendScenarioName} name
 * @property {string} title for the tables
 * @property {number} count input items (= messages)
 * @property {number} latencyMs ms the sandbox adds to every request
 * @property {number} processingDelayMs the sandbox's processing time per queued request
 * @property {boolean} waitForResult
 * @property {string} instance the sandbox instance the measured run sends to
 */

/**
 * What sends-worker.js is told (argv[2], JSON).
 * @typedef {object} SendWorkerConfig
 * @property {SendVariant} variant
 * @property {string} baseUrl
 * @property {string} sandboxUrl
 * @property {string} token
 * @property {string} harnessBuildDir
 * @property {string} instance the measured instance
 * @property {string} warmupInstance
 * @property {number} warmups untimed runs of `warmupCount` sends before the timed one
 * @property {number} warmupCount
 * @property {number} count sends in the timed run
 * @property {boolean} waitForResult
 * @property {boolean} safeMode the node's Safe Mode option (the baseline posts to the same endpoint)
 * @property {Record<string, unknown>} sandboxConfig the sandbox settings of the timed run, applied after the warm-up
 */

/**
 * What sends-worker.js sends back.
 * @typedef {object} SendWorkerReport
 * @property {boolean} ok
 * @property {string} [error]
 * @property {number} [wallMs]
 * @property {number} [cpuMs] user + system
 * @property {number} [startedAt] ms since the epoch when the timed run started (to read the sandbox's times against)
 * @property {number} [executionTime] n8n-core's executionTime of the node (node-core)
 * @property {number} [executeMs] time inside the node's execute() (node-core)
 * @property {number} [heapBefore]
 * @property {number} [peakHeap]
 * @property {number} [rssBefore]
 * @property {number} [peakRss]
 * @property {number} [count] output items (node-core) or answers (baseline)
 * @property {string[]} [queuedRequestIds] per item, in order
 * @property {string[]} [itemProblems] output items of the wrong shape or pairing (node-core; the first few)
 */

/**
 * One measured Send Text run, as sends.js keeps it (latest.json `sends.runs`).
 * @typedef {object} SendRunEntry
 * @property {SendScenarioName} scenario
 * @property {SendVariant} variant
 * @property {number} run
 * @property {boolean} ok
 * @property {string} [error]
 * @property {number} [wallMs]
 * @property {number} [cpuMs]
 * @property {number} [executionTime]
 * @property {number} [executeMs]
 * @property {number} [heapBefore]
 * @property {number} [peakHeap]
 * @property {number} [rssBefore]
 * @property {number} [peakRss]
 * @property {number} [count]
 * @property {number} posts POST requests to the instance in the sandbox's log
 * @property {number} gets GET requests to the instance in the sandbox's log
 * @property {number} otherRequests any other request to the instance
 * @property {number | undefined} queueMs run start → the last POST answered (its arrival in the sandbox log + the latency)
 * @property {number | undefined} lastDoneMs run start → the last queued request's result was ready (its doneAt)
 * @property {boolean} verified
 * @property {string | null} problem
 */

/**
 * One row of the Send Text table: the medians of one variant in one scenario.
 * @typedef {object} SendCell
 * @property {SendScenario} scenario
 * @property {SendVariant} variant
 * @property {number} runs
 * @property {number} verifiedRuns
 * @property {string} posts the counts seen, joined by '/'
 * @property {string} gets
 * @property {number | undefined} timeMs
 * @property {number | undefined} timeMinMs
 * @property {number | undefined} timeMaxMs
 * @property {number | undefined} sendsPerSecond
 * @property {number | undefined} cpuMs
 * @property {number | undefined} executeMs
 * @property {number | undefined} queueMs
 * @property {number | undefined} queueMinMs
 * @property {number | undefined} queueMaxMs
 * @property {number | undefined} lastDoneMs
 * @property {number | undefined} peakHeapBytes
 * @property {number | undefined} heapBeforeBytes
 * @property {number | undefined} peakRssBytes
 */

/**
 * The Send Text results: the scenarios measured, a cell per scenario and variant, the ratios.
 * @typedef {object} SendSummary
 * @property {SendScenario[]} scenarios
 * @property {boolean} safeMode
 * @property {SendCell[]} cells
 * @property {number | undefined} sendsRatio wait off: node-core / baseline, wall, medians
 * @property {number | undefined} sendsRatioMin the lowest of the per-run ratios (run k's node-core / run k's baseline)
 * @property {number | undefined} sendsRatioMax the highest
 * @property {number | undefined} waitRatio wait on: node-core total / (processing delay + baseline time to queue), medians
 * @property {number | undefined} waitRatioMin per-run
 * @property {number | undefined} waitRatioMax per-run
 * @property {number | undefined} waitOverReady wait on: node-core total / (run start → last result ready), median of the runs
 * @property {SendRunEntry[]} runs
 */

/** A table to print as text or markdown. @typedef {{ header: string[], rows: string[][] }} Table */

module.exports = {};
