// @ts-check
'use strict';
// JSDoc types shared by the sandbox modules (no code). TypeScript reads them from the source,
// so tests that import the sandbox get these types too.

/**
 * A contact as the API serves it. `name` and `pushname` are absent (not null) when unknown.
 * @typedef {object} Contact
 * @property {string} id chat id: `<digits>@c.us`, `<digits>@s.whatsapp.net`, `<x>@lid` or `<x>@g.us`
 * @property {string} [name] the name saved in the phone's address book
 * @property {string} [pushname] the name the user set in their own WhatsApp profile
 */

/**
 * How an instance is created: a seeded list of `size` contacts, or an explicit list.
 * @typedef {object} InstanceOptions
 * @property {number} [size] contacts to generate (default 2500)
 * @property {number} [seed] seed of the generated contacts (default 42)
 * @property {Contact[]} [contacts] an explicit list instead (used as is, live)
 * @property {string | null} [webhookUrl] this instance's own webhook URL, which wins over the global `webhookUrl`
 * @property {string | null} [webhookSecret] the secret sent with this instance's own URL (absent: the global `webhookSecret`)
 */

/** @typedef {'429' | '500' | '502' | '503' | '504' | 'reset' | 'html' | 'empty' | 'hang'} FaultKind */

/**
 * @typedef {object} FaultSettings
 * @property {number} rate share of authenticated API requests that fail, 0..1
 * @property {string[]} kinds fault kinds drawn from (see FAULT_KINDS)
 * @property {number} seed seed of the fault sequence
 * @property {number} retryAfter `Retry-After` seconds sent with 429
 * @property {'before' | 'after' | 'both'} phase `before`: the fault replaces the work; `after`: the server does the work (an upsert is applied), then answers with the fault; `both`: each fault is before or after, drawn half and half from the seeded sequence
 * @property {string[] | null} routes the routes faults strike, as `<family>/<route>` names (`sms/send-message`, `whatsapp/contacts/get-all`) or prefixes ending in `*` (`whatsapp/send-*`, `otp/*`); null (default): every route. Other requests draw nothing from the sequence
 */

/**
 * What configure() takes: every key optional; `faults` is replaced as a whole (missing keys take their defaults).
 * @typedef {object} SandboxConfigChanges
 * @property {number} [latencyMs]
 * @property {Partial<FaultSettings> | null} [faults]
 * @property {number | null} [maxPageSize]
 * @property {number} [maxPageStatus]
 * @property {boolean} [endless]
 * @property {number} [upsertDelayMs]
 * @property {number} [upsertCallsNeeded]
 * @property {number} [pictureTtlMs]
 * @property {number} [processingDelayMs]
 * @property {number} [safeDelayMs]
 * @property {string[]} [notOnWhatsapp]
 * @property {string | null} [webhookUrl]
 * @property {string | null} [webhookSecret]
 * @property {'bearer' | 'raw'} [webhookAuthStyle]
 * @property {string} [webhookUserId]
 * @property {number} [webhookTimeoutMs]
 * @property {'subscribed' | 'trial'} [plan]
 * @property {boolean} [rateLimits]
 * @property {number} [rateLimitWindowMs]
 * @property {number} [restartDelayMs]
 * @property {number} [smsSendDelayMs]
 * @property {number} [smsDeliveryDelayMs]
 */

/**
 * startSandbox() options: where to listen, the token, the instances, and the initial settings.
 * @typedef {SandboxConfigChanges & { host?: string, port?: number, mediaPort?: number, token?: string, quiet?: boolean, instances?: Record<string, InstanceOptions> }} SandboxOptions
 * host: only 127.0.0.1 or localhost; port: 0 (default) = any free port; mediaPort: the media host's
 * port (the media of simulated incoming messages), 0 (default) = any free port; quiet: default true, false logs
 * one line per request; instances: default one instance, DEFAULT_INSTANCE, of 2500 contacts, seed 42.
 */

/**
 * The sandbox's run-time settings, as configure() returns them.
 * @typedef {object} SandboxConfig
 * @property {number} latencyMs delay added to every API request
 * @property {FaultSettings} faults
 * @property {number | null} maxPageSize get-all requests with a larger `limit` fail
 * @property {number} maxPageStatus status of those failures
 * @property {boolean} endless every get-all page is full, forever
 * @property {number} upsertDelayMs an applied upsert becomes visible only this many ms later
 * @property {number} upsertCallsNeeded an upsert is applied only at the Nth identical call for that chat
 * @property {number} pictureTtlMs how long a profile-picture URL stays valid
 * @property {number} processingDelayMs how long a queued request (send-*, actions) takes to process
 * @property {number} safeDelayMs added to processingDelayMs for send-text-safe
 * @property {string[]} notOnWhatsapp phone numbers (digits) that are not on WhatsApp, besides the built-in rule (digits ending in 0000 that are no contact of the instance)
 * @property {string | null} webhookUrl where webhook events are POSTed (null: nowhere), unless the instance has its own URL
 * @property {string | null} webhookSecret sent as `Authorization` with every delivery (configure() shows it as `[redacted]`)
 * @property {'bearer' | 'raw'} webhookAuthStyle `Authorization: Bearer <secret>` or the bare secret
 * @property {string} webhookUserId the `x-userId` header and the envelope's `userId`
 * @property {number} webhookTimeoutMs a delivery that takes longer is given up (no retries)
 * @property {'subscribed' | 'trial'} plan the account's plan: on `trial`, send-link-custom-preview answers 403
 * @property {boolean} rateLimits whether the documented per-minute limits (create-instance, restart, health, request-new-qr-code) apply
 * @property {number} rateLimitWindowMs the limits' window (default 60000: per minute)
 * @property {number} restartDelayMs how long a restarted instance stays STARTING
 * @property {number} smsSendDelayMs how long an SMS stays pending before the phone sends it
 * @property {number} smsDeliveryDelayMs how long after being sent an SMS is delivered
 */

/**
 * One webhook delivery, as webhookDeliveries() lists it (in the order the deliveries started).
 * @typedef {object} WebhookDelivery
 * @property {string} event
 * @property {string} instanceId
 * @property {string} eventId `evt_<24 hex>`
 * @property {string} url where it was POSTed (user and password in the URL read `[redacted]`)
 * @property {'present' | 'none'} authorization whether an Authorization header (the secret) was sent; never the secret
 * @property {number | null} status the receiver's HTTP status; null when no answer came
 * @property {string | null} error why no answer came (connection refused, timeout, sandbox closed), else null
 * @property {number} at when the delivery started, ms since the epoch
 * @property {number | null} durationMs null while under way
 * @property {unknown} body the envelope sent
 */

/**
 * Raw query values as sent (the last one for repeated keys), null when absent.
 * @typedef {object} RawQuery
 * @property {string | null} limit
 * @property {string | null} offset
 * @property {string | null} sort_by
 * @property {string | null} sort_order
 * @property {string | null} chat_id
 */

/**
 * One request as received. Secrets are never kept: `authorization` only says whether the token
 * matched, and header values that carry credentials are replaced by `[redacted]`.
 * @typedef {object} RequestLogEntry
 * @property {'api' | 'picture'} kind `api`: a request under the API base path (or any unknown path); `picture`: a download from /pps
 * @property {string} method
 * @property {string} path
 * @property {string | null} instance decoded instance segment (for pictures: the instance that issued the URL); null when the path matches no route
 * @property {Omit<RawQuery, 'chat_id'> & { chat_id?: string }} query the query as sent; `chat_id` only when it was sent
 * @property {string | null} chat_id the chat id the request names (`chat_id` in the query for GET, in the body for POST; `chatId` in the query or body for the queued routes; for pictures the contact id); null when absent
 * @property {Record<string, unknown> | null} body the fields of the body as parsed (JSON, form or multipart) for the routes that read one (POST, PUT, DELETE); a file part of a queued route reads `{filename, mimetype, size, sha256}`; null for other requests
 * @property {'present' | 'missing' | 'wrong'} authorization whether an `Authorization: Bearer <token>` with the sandbox token came along
 * @property {string | null} accept
 * @property {Record<string, string>} headers request headers, lower-case names, credentials redacted
 * @property {number | null} status null until answered, and for faults that never answer
 * @property {string | null} fault the fault kind injected (or `maxPage`), null otherwise
 * @property {number} at arrival time, ms since the epoch
 */

/**
 * A response before it is sent: JSON, HTML or plain text.
 * @typedef {object} Reply
 * @property {number} status
 * @property {unknown} [json]
 * @property {string} [html]
 * @property {string} [text]
 * @property {Record<string, string>} [headers]
 * @property {string} [fault] recorded in the log entry (e.g. `maxPage`)
 */

/**
 * @typedef {(entry: RequestLogEntry) => void | Promise<void>} RequestHook
 */

/**
 * What an API route handler gets. It answers with a Reply and never writes to the socket itself,
 * so a fault in phase `after` can replace the reply once the work is done.
 * @typedef {object} RouteCall
 * @property {string} instanceId
 * @property {import('./instances').Instance} instance
 * @property {RequestLogEntry} entry
 * @property {Record<string, unknown>} input the query fields, and for POST the body fields over them (as Laravel merges them)
 * @property {SandboxConfig} config
 * @property {import('./pictures').PictureSigner} pictures
 * @property {string} origin the sandbox's `http://127.0.0.1:<port>`
 * @property {number} now
 * @property {string} method
 * @property {Record<string, string>} params path parameters (`uuid` of /queued-requests/{uuid})
 * @property {Record<string, import('./multipart').UploadedFile>} files uploaded file parts of a multipart body (routes with `files`)
 * @property {import('./queue').MessageQueue} queue the instance's queued requests
 * @property {string} instanceUrl `<origin>/api/<family>/v2/<instance>`
 * @property {import('./gateway').Gateway} gateway the account's state beyond the address books: instances (enterprise), rate limits, OTP codes, SMS gateways
 */

/**
 * What an account route (no instance in the path: GET /instances, POST /create-instance) gets.
 * @typedef {object} AccountCall
 * @property {RequestLogEntry} entry
 * @property {Record<string, unknown>} input
 * @property {SandboxConfig} config
 * @property {string} origin
 * @property {number} now
 * @property {string} method
 * @property {import('./gateway').Gateway} gateway
 */

/**
 * An account route: like ApiRoute, without an instance.
 * @typedef {object} AccountRoute
 * @property {string[]} methods
 * @property {boolean} readsBody
 * @property {number} [rateLimit] hits per rateLimitWindowMs (per token and route)
 * @property {(call: AccountCall) => Reply} handle
 */

/**
 * An API route: the methods it accepts, whether it reads a body, and its handler.
 * @typedef {object} ApiRoute
 * @property {string[]} methods
 * @property {boolean} readsBody
 * @property {boolean} [files] keeps multipart file parts as files (binary) rather than text
 * @property {number} [bodyLimit] bytes; default MAX_BODY_BYTES
 * @property {string} [chatIdField] the input naming the chat, for the log (default `chat_id`)
 * @property {number} [rateLimit] hits per rateLimitWindowMs per token and instance (the documented per-minute limits); beyond: 429
 * @property {(call: RouteCall) => Reply} handle
 */

module.exports = {};
