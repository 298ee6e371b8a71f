// @ts-check
'use strict';
// The shapes the benchmark's modules hand each other, as JSDoc typedefs (nothing here runs).
// Import one with `/** @typedef {import('./types').Cell} Cell */`.

/**
 * The command line after defaults (run.js parseArgs). Its key order is the order of `options`
 * in bench-results/latest.json.
 * @typedef {object} Options
 * @property {boolean} quick
 * @property {number[]} sizes contact counts (N)
 * @property {number[]} latencies ms the sandbox adds to every request
 * @property {number} runs runs per in-process variant and cell
 * @property {number} n8nRuns runs per real-n8n variant and cell
 * @property {number[]} crmLatencies the latencies (among `latencies`) the CRM variants run at
 * @property {boolean} crm
 * @property {boolean} n8n false with --skip-n8n
 * @property {boolean} profile false with --no-profile
 * @property {boolean} keep
 * @property {Phase[]} phases what runs: Get Many (`get-many`), the Send Text scenarios (`sends`), the Contact Trigger at scale (`contact-trigger`); --only
 * @property {number} sendRuns runs per Send Text variant and scenario
 * @property {number} sendCount input items of the wait-off scenario
 * @property {number} sendLatencyMs ms the sandbox adds to every request in the wait-off scenario
 * @property {number} waitCount input items of the Wait for Result scenario
 * @property {number} waitLatencyMs ms the sandbox adds to every request in the Wait for Result scenario
 * @property {number} waitDelayMs the sandbox's processing time per queued request in the Wait for Result scenario
 * @property {number} ctSize contacts in the Contact Trigger phase's book
 * @property {boolean} [help]
 */

/** @typedef {'get-many' | 'sends' | 'contact-trigger'} Phase */

/**
 * @typedef {'baseline' | 'node-core' | 'node-core-k4' | 'node-core-crm' | 'node-core-search' | 'node-n8n' | 'http-request-n8n'} Variant
 */

/** Get Many's options as the node reads them (undefined: plain Return All, no options key). @typedef {Record<string, unknown> | undefined} NodeOptions */

/**
 * A list of contacts reduced to what the check compares: ids in order and a digest of every
 * contact's JSON.
 * @typedef {object} Listing
 * @property {number} count
 * @property {string[]} ids
 * @property {string} digest
 */

/** What a variant must return: the ids in order and the digest. @typedef {{ ids: string[], digest: string }} Expected */

/**
 * What Return All must give for one instance: the sandbox's own list, and for each CRM variant
 * that list filtered and derived by crm-reference.js.
 * @typedef {Expected & { byVariant: Record<string, Expected> }} ExpectedForSize
 */

/** A request the sandbox logged. @typedef {{ instance: string, method: string, path: string, at: number, status: number | null, [key: string]: unknown }} SandboxRequest */

/**
 * A queued request as the sandbox's control list shows it (GET /__sandbox/messages/{instance}).
 * @typedef {object} QueuedRecordSummary
 * @property {string} uuid
 * @property {string} endpoint e.g. `send-text-safe`
 * @property {string | null} chatId
 * @property {Record<string, unknown>} body
 * @property {number} acceptedAt ms since the epoch
 * @property {number} doneAt ms since the epoch
 * @property {boolean} done
 * @property {number | null} response_status
 */

/**
 * The sandbox API in its own process (sandbox-process.js).
 * @typedef {object} SandboxProcess
 * @property {string} url the sandbox's root (control endpoints under /__sandbox)
 * @property {string} baseUrl the API's base URL, as a credential holds it
 * @property {string} token
 * @property {number} port
 * @property {number | undefined} pid
 * @property {() => Promise<unknown>} reset clears the request log
 * @property {(latencyMs: number) => Promise<unknown>} setLatency
 * @property {(changes: Record<string, unknown>) => Promise<unknown>} configure the sandbox's run-time settings (latencyMs, processingDelayMs, …)
 * @property {(instance: string) => Promise<QueuedRecordSummary[]>} messages the instance's queued requests, in the order accepted
 * @property {(instance: string) => Promise<SandboxRequest[]>} requestsFor API requests to `instance` since the last reset
 * @property {(instance: string) => Promise<ExpectedForSize>} expected
 * @property {() => Promise<void>} close
 */

/**
 * What worker.js is told to do (argv[2], JSON).
 * @typedef {object} WorkerConfig
 * @property {Variant} variant an in-process variant
 * @property {string} baseUrl
 * @property {string} sandboxUrl
 * @property {string} token
 * @property {string} instance the measured instance
 * @property {string} [warmupInstance]
 * @property {number} [warmups]
 * @property {string} harnessBuildDir
 * @property {NodeOptions} [nodeOptions]
 * @property {string} [profile] write a .cpuprofile of the timed run here
 * @property {boolean} [probe] the memory probe instead of a timed run
 */

/**
 * The part of the compiled harness (test/harness/n8n-core.ts) the benchmark uses.
 * @typedef {object} Harness
 * @property {string} NODE_NAME
 * @property {(input: { parameters: Record<string, unknown>, credentials: Record<string, unknown>, inputItems?: Record<string, unknown>[] }) => Promise<{ error?: Error, run: any, items: Item[] }>} runHypersenderNode
 */

/** A contact as the API lists it. @typedef {{ id: string, [field: string]: unknown }} Contact */
/** An item a node outputs. @typedef {{ json: Contact, pairedItem?: { item: number } }} Item */
/**
 * What worker.js's node-core run gives: the node's items, n8n-core's executionTime of the node,
 * and the time inside the node's execute().
 * @typedef {{ items: Item[], executionTime: number | undefined, executeMs: number | undefined }} NodeCoreResult
 */

/**
 * Live heap (bytes, after a forced GC) at the points the memory probe reads it.
 * @typedef {{ beforeConstruct?: number, afterConstruct?: number, nodeReturned?: number, afterRun?: number }} ProbePoints
 */

/**
 * What worker.js sends back: a timed run, a probe run (`probe: true`), or a failure
 * (`ok: false`, `error`). The list itself comes as a Listing (count, ids, digest).
 * @typedef {object} WorkerReport
 * @property {boolean} ok
 * @property {string} [error]
 * @property {Variant} [variant]
 * @property {number} [wallMs]
 * @property {number} [cpuMs] user + system
 * @property {number} [loadMs]
 * @property {number} [executionTime] n8n-core's executionTime of the node (node-core variants)
 * @property {number} [executeMs] time inside the node's execute() (node-core variants)
 * @property {number} [heapBefore]
 * @property {number} [peakHeap]
 * @property {number} [rssBefore]
 * @property {number} [peakRss]
 * @property {number} [memorySamples]
 * @property {number} [count]
 * @property {string[]} [ids]
 * @property {string} [digest]
 * @property {boolean} [pairedOk]
 * @property {number} [skippedSerializations]
 * @property {boolean} [probe]
 * @property {ProbePoints} [points]
 */

/**
 * One measured run, in-process or in real n8n, as record() hands it in (with `ids`) and keeps
 * it (without `ids`, with the request count and the verdict): the entries of `runs` in
 * latest.json.
 * @typedef {object} RunEntry
 * @property {boolean} ok
 * @property {string} [error]
 * @property {Variant} variant
 * @property {number} size
 * @property {number} latencyMs
 * @property {number} run
 * @property {number} [count]
 * @property {string[]} [ids]
 * @property {string} [digest]
 * @property {boolean} [pairedOk]
 * @property {number} [wallMs] in-process
 * @property {number} [cpuMs] in-process
 * @property {number} [executeMs] node-core variants
 * @property {number} [heapBefore] in-process
 * @property {number} [rssBefore] in-process
 * @property {number} [peakHeap]
 * @property {number} [peakRss]
 * @property {number} [skippedSerializations] node-core variants
 * @property {number} [executionTime] real n8n: the sum of the measured nodes' executionTime
 * @property {Record<string, number | undefined>} [nodeTimes] real n8n: executionTime per node
 * @property {number} [commandWallMs] real n8n: the whole `n8n execute`
 * @property {string} [memoryNote] real n8n: why there is no memory record
 * @property {number} [requests] recorded: API requests the run made
 * @property {boolean} [requestsOk] recorded
 * @property {boolean} [verified] recorded
 * @property {string | null} [problem] recorded: why the output is wrong (null: verified)
 */

/**
 * One row of the main table: the medians of one variant at one latency and N.
 * @typedef {object} Cell
 * @property {number} latencyMs
 * @property {number} size
 * @property {Variant} variant
 * @property {number} runs
 * @property {number} verifiedRuns
 * @property {number | string} requests the count, or the counts seen joined by '/'
 * @property {number} requestsExpected floor(N/1000)+1
 * @property {boolean} requestsOk
 * @property {number | undefined} items
 * @property {string} timeMetric
 * @property {number | undefined} timeMs
 * @property {number | undefined} timeMinMs
 * @property {number | undefined} timeMaxMs
 * @property {number | undefined} contactsPerSecond
 * @property {number | undefined} cpuMs
 * @property {number | undefined} executeMs
 * @property {number | undefined} commandWallMs
 * @property {Record<string, number | undefined> | undefined} nodeTimes
 * @property {number | undefined} peakHeapBytes
 * @property {number | undefined} heapBeforeBytes
 * @property {number | undefined} peakRssBytes
 * @property {number | undefined} rssBeforeBytes
 * @property {string | undefined} memoryNote
 */

/**
 * One row of the ratio table (medians of one latency and N; undefined when a side is missing).
 * @typedef {object} RatioRow
 * @property {number} latencyMs
 * @property {number} size
 * @property {number | undefined} nodeCoreOverBaseline
 * @property {number | undefined} nodeCoreCpuOverBaselineCpu
 * @property {number | undefined} k4OverBaseline
 * @property {number | undefined} k4OverNodeCore
 * @property {number | undefined} crmOverNodeCore
 * @property {number | undefined} crmCpuOverNodeCoreCpu
 * @property {number | undefined} searchOverNodeCore
 * @property {number | undefined} searchCpuOverNodeCoreCpu
 * @property {number | undefined} nodeN8nOverHttpRequestN8n
 * @property {number | undefined} nodeN8nCommandOverHttpRequestCommand
 * @property {number | undefined} nodeN8nOverBaseline
 */

/** @typedef {{ cells: Cell[], ratios: RatioRow[] }} Summary */

/** One row of the targets table (pass undefined: not measured). @typedef {{ target: string, pass: boolean | undefined, measured: string }} Target */

/** @typedef {import('./profile').ProfileSummary} ProfileSummary */

/** An in-process profile: the summary plus the run's own figures. @typedef {ProfileSummary & { wallMs?: number, cpuMs?: number, executeMs?: number }} InProcessProfile */

/**
 * The memory probe's finding: the live heap the node holds against one copy of the contacts.
 * @typedef {object} MemoryFinding
 * @property {number} size
 * @property {number} oneCopyBytes
 * @property {Record<string, number | undefined>} node live bytes above the heap before the run, per probe point
 * @property {string} peakPoint
 * @property {number | undefined} peakBytes
 * @property {number} copies
 */

/** A real-n8n profile, or why there is none. @typedef {(ProfileSummary & { executionTime: number, nodes: string[], note?: undefined }) | { note: string }} N8nProfile */

/** @typedef {{ size: number, profiles: Record<string, N8nProfile> }} N8nProfiles */

/**
 * The profile phase: in-process profiles, memory probes, and (added later) the real-n8n profiles.
 * @typedef {object} Probe
 * @property {number} size
 * @property {Record<string, InProcessProfile>} profiles
 * @property {Record<string, { heapBefore: number | undefined, points: ProbePoints | undefined }>} probes
 * @property {MemoryFinding | undefined} memory
 * @property {N8nProfiles} [n8n]
 */

/**
 * @typedef {object} Machine
 * @property {number} cpus
 * @property {string | undefined} cpuModel
 * @property {number} memoryGb
 * @property {string} platform
 * @property {string} node
 * @property {string} n8n
 * @property {string | undefined} n8nCore
 * @property {string | undefined} n8nWorkflow
 * @property {number[]} loadAverageAtStart
 * @property {number[]} [loadAverageAtEnd]
 */

/**
 * bench-results/latest.json (and what latest.md and the printed table are rendered from).
 * @typedef {object} Report
 * @property {string} generatedAt
 * @property {number} durationSeconds
 * @property {Machine & { loadAverageAtEnd: number[] }} machine
 * @property {Options} options
 * @property {Summary} summary
 * @property {Target[]} targets
 * @property {Probe | undefined} probe
 * @property {string[]} notes
 * @property {string[]} failures
 * @property {RunEntry[]} runs
 * @property {SendSummary} [sends] the Send Text scenarios, when measured
 * @property {import('./contact-trigger').ContactTriggerSummary} [contactTrigger] the Contact Trigger at scale, when measured
 */

/**
 * What every phase works with.
 * @typedef {object} PhaseContext
 * @property {Options} options
 * @property {SandboxProcess} sandbox
 * @property {Map<number, ExpectedForSize>} expectedBySize the lists to check against, by N
 * @property {import('./results').Recorder} recorder
 */

// ---------------------------------------------------------------------------------------
// Message › Send Text (sends.js, sends-worker.js, sends-report.js)

// Their shapes (and Table, a printed table's) are in send-types.js, re-exported here.
/** @typedef {import('./send-types').SendScenarioName} SendScenarioName */
/** @typedef {import('./send-types').SendVariant} SendVariant */
/** @typedef {import('./send-types').SendScenario} SendScenario */
/** @typedef {import('./send-types').SendWorkerConfig} SendWorkerConfig */
/** @typedef {import('./send-types').SendWorkerReport} SendWorkerReport */
/** @typedef {import('./send-types').SendRunEntry} SendRunEntry */
/** @typedef {import('./send-types').SendCell} SendCell */
/** @typedef {import('./send-types').SendSummary} SendSummary */
/** @typedef {import('./send-types').Table} Table */

module.exports = {};
