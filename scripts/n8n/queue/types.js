// @ts-check
'use strict';
// The types of a queue cluster (../queue.js re-exports them): its processes, its executions as
// PostgreSQL has them with what the logs say about each, the options of startQueueCluster() and
// the cluster it returns.

/** @typedef {import('../homes').EnvExtra} EnvExtra */
/** @typedef {import('../cli').PlainCredential} PlainCredential */
/** @typedef {import('../cli').Workflow} Workflow */
/** @typedef {import('../run-data').N8nRunData} N8nRunData */

/** @typedef {'main' | 'webhook' | 'worker' | 'postgres' | 'redis'} Role */

/**
 * One process of the cluster.
 * @typedef {object} ClusterProcess
 * @property {string} name main, webhook, worker-1, worker-2, ..., postgres, redis
 * @property {Role} role
 * @property {number | undefined} pid undefined while stopped
 * @property {number} port the port it listens on (a worker: its health-check port)
 * @property {boolean} running
 * @property {() => string} output its last 2000 output lines
 * @property {(signal?: NodeJS.Signals) => Promise<void>} kill sends `signal` (default SIGKILL) to its whole process group (an n8n process and its task runner, as when a container dies) and waits for the exit
 * @property {(graceMs?: number) => Promise<void>} stop SIGTERM (a graceful shutdown), its group SIGKILLed after `graceMs` (default 30000)
 * @property {() => Promise<void>} start starts it again (same ports) and waits until it is ready
 * @property {() => void} pause SIGSTOP to its process group: it keeps its connections and does nothing (a worker takes no job; jobs wait in Redis)
 * @property {() => void} resume SIGCONT to its process group
 * @property {() => Promise<void>} restart stop() then start()
 */

/**
 * What the processes' logs say about one execution.
 * @typedef {object} ExecutionTrace
 * @property {string | undefined} enqueuedBy the process that enqueued it (main, webhook)
 * @property {string[]} startedBy the workers that started it, in order (more than one: it was picked up again)
 * @property {string[]} finishedBy the workers that finished it
 */

/**
 * One execution as Postgres has it, with its trace.
 * @typedef {object} QueueExecution
 * @property {number} id
 * @property {string} workflowId
 * @property {string} status new, running, success, error, crashed, canceled, waiting
 * @property {string} mode manual, trigger, webhook, ...
 * @property {boolean} done whether it has ended
 * @property {Date | null} createdAt
 * @property {Date | null} startedAt
 * @property {Date | null} stoppedAt
 * @property {string | null} retryOf
 * @property {string | undefined} worker the worker that ran it (the last that started it), when one did
 * @property {ExecutionTrace} trace
 * @property {N8nRunData} [data] its run data, with `withData` and once done
 */

/**
 * @typedef {object} ExecutionFilter
 * @property {string} [workflowId]
 * @property {number} [afterId] only executions with a larger id
 * @property {boolean} [withData] also parse the run data of the executions that have ended
 */

/**
 * @typedef {object} QueueClusterOptions
 * @property {string} home the N8N_USER_FOLDER every n8n process shares (createN8nHome() with the package)
 * @property {string} [name] the folder under .n8n-runtime/queue/ (default "default")
 * @property {number} [workers] how many workers (default 2)
 * @property {number} [concurrency] jobs each worker runs at once (`n8n worker --concurrency`, default 10, n8n's)
 * @property {number} [poolSize] Postgres connections per n8n process (DB_POSTGRESDB_POOL_SIZE, default 10; n8n's own default of 2 lets a burst of webhooks starve the webhook processor's database pool: its health ping times out and it answers 503)
 * @property {number} [mainPort] default: a free port
 * @property {number} [webhookPort] default: a free port
 * @property {number} [postgresPort] default: a free port
 * @property {number} [redisPort] default: a free port
 * @property {boolean} [fresh] empty the cluster's folder first: a new database (default false: reuse it)
 * @property {EnvExtra} [extraEnv] more environment for every n8n process (wins over the cluster's)
 * @property {(name: string, line: string) => void} [onLine] every output line of every process
 * @property {(name: string, reason: string) => void} [onUnexpectedExit] a process exited that no stop(), kill(), restart or close() ended (it crashed, or was killed from outside)
 * @property {number} [readyTimeoutMs] how long a process may take to be ready (default 240000)
 * @property {boolean} [installMissing] apt-get install PostgreSQL/Redis when missing (default true)
 */

/**
 * A running queue-mode cluster.
 * @typedef {object} QueueCluster
 * @property {string} name
 * @property {string} dir its data folder (.n8n-runtime/queue/<name>)
 * @property {string} home the shared N8N_USER_FOLDER
 * @property {string} mainUrl http://127.0.0.1:<port> of `n8n start` (editor, REST API)
 * @property {string} webhookUrl http://127.0.0.1:<port> of `n8n webhook` (production webhooks: <webhookUrl>/webhook/...)
 * @property {{ host: string, port: number, database: string, user: string, password: string }} postgres how n8n connects to Postgres
 * @property {{ host: string, port: number }} redis
 * @property {ClusterProcess[]} processes main, webhook, the workers, postgres, redis
 * @property {ClusterProcess} main
 * @property {ClusterProcess} webhook
 * @property {ClusterProcess[]} workers
 * @property {(index: number) => ClusterProcess} worker the index-th worker (0-based)
 * @property {(extra?: EnvExtra) => NodeJS.ProcessEnv} env the environment of an n8n process of this cluster (e.g. for `n8n` commands)
 * @property {(creds: PlainCredential[]) => Promise<string[]>} importCredentials `n8n import:credentials` into the cluster's database
 * @property {(workflows: Workflow[]) => Promise<string[]>} importWorkflows `n8n import:workflow` (one process for all)
 * @property {(options?: { services?: boolean, whileStopped?: () => Promise<void> }) => Promise<void>} restartAll stops every n8n process (and with `services`, Redis and Postgres too), runs `whileStopped`, then starts them all again
 * @property {(filter?: ExecutionFilter) => Promise<QueueExecution[]>} executions oldest first
 * @property {(sql: string, params?: unknown[]) => Promise<any[]>} query any SQL on n8n's database (rows)
 * @property {(executionId: number | string) => ExecutionTrace} trace what the logs say about one execution
 * @property {() => Promise<void>} close stops everything (n8n first, then Redis and Postgres)
 */
module.exports = {};
