/**
 * Every operation of the node as a tool of a second MCP server (test only, ./ai-tools.test.ts):
 * [tool name, resource, operation, parameters, the API route the call must reach], in the order
 * the test calls them. Model-filled values use $fromAI; queued operations wait for the outcome, so
 * a tool result is the API's real answer.
 */
import type { Workflow, WorkflowNode } from './n8n-harness';
import { CREDENTIAL_TYPE, PACKAGE_NAME } from './n8n-harness';

const TOOL_TYPE = `${PACKAGE_NAME}.hypersenderTool`;
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';

const ai = (key: string, description: string, type = 'string') => `={{ $fromAI('${key}', \`${description}\`, '${type}') }}`;
const CHAT = ai('chatId', 'The chat: a phone number with country code or a chat ID such as 4915123456789@c.us');
const MESSAGE = ai('messageId', 'The messageId a send returned');
const WAIT = { waitForResult: true, waitTimeout: 30 };
const MEDIA = (operation: string): Record<string, unknown> => ({ chatId: CHAT, source: 'url', url: ai('url', 'A public http(s) link to the file'), options: WAIT, operation });
const SMS_ID = ai('messageId', 'The id of an SMS message');
const THREAD = ai('threadId', 'The id of an SMS thread');

export const EVERY_OPERATION: Array<[string, string, string, Record<string, unknown>, string]> = [
	['contact_get_many', 'contact', 'getAll', { limit: ai('limit', 'How many contacts, 1 to 1000', 'number') }, 'contacts/get-all'],
	// Limit left alone: the tool's default.
	['contact_get_many_default', 'contact', 'getAll', {}, 'contacts/get-all'],
	['contact_get', 'contact', 'get', { chatId: CHAT }, 'contacts/get'],
	['contact_upsert', 'contact', 'upsert', { chatId: CHAT, firstName: ai('firstName', 'The first name to save') }, 'contacts/upsert'],
	['contact_picture', 'contact', 'getProfilePicture', { chatId: CHAT }, 'contacts/profile-picture'],
	['send_text', 'message', 'sendText', { chatId: CHAT, text: ai('text', 'The text'), options: { ...WAIT, safeMode: false } }, 'send-text'],
	['send_image', 'message', 'sendImage', MEDIA('sendImage'), 'send-image'],
	['send_video', 'message', 'sendVideo', MEDIA('sendVideo'), 'send-video'],
	['send_file', 'message', 'sendFile', MEDIA('sendFile'), 'send-file'],
	['send_voice', 'message', 'sendVoice', MEDIA('sendVoice'), 'send-voice'],
	['send_location', 'message', 'sendLocation', { chatId: CHAT, latitude: ai('latitude', 'Latitude, -90 to 90', 'number'), longitude: ai('longitude', 'Longitude, -180 to 180', 'number'), options: WAIT }, 'send-location'],
	['send_contact_card', 'message', 'sendContactCard', { chatId: CHAT, contacts: { contact: [{ fullName: ai('fullName', 'The card\'s name'), phoneNumber: ai('phoneNumber', 'The card\'s phone number') }] }, options: WAIT }, 'send-contact-card'],
	['send_poll', 'message', 'sendPoll', { chatId: CHAT, pollName: ai('question', 'The question'), pollOptions: ai('answers', 'The answers, one per line'), options: WAIT }, 'send-poll'],
	['send_link_preview', 'message', 'sendLinkPreview', { chatId: CHAT, text: ai('text', 'The text, with the link in it'), previewUrl: ai('previewUrl', 'The link'), previewTitle: ai('previewTitle', 'The card\'s title'), options: WAIT }, 'send-link-custom-preview'],
	['forward', 'message', 'forward', { chatId: CHAT, messageId: MESSAGE, options: WAIT }, 'forward-message'],
	['react', 'message', 'react', { chatId: CHAT, messageId: MESSAGE, reaction: ai('reaction', 'One emoji'), options: WAIT }, 'react-to-message'],
	['star', 'message', 'star', { chatId: CHAT, messageId: MESSAGE, star: true, options: WAIT }, 'star-message'],
	['mark_read', 'chat', 'markRead', { chatId: CHAT, options: WAIT }, 'read-chat'],
	['send_seen', 'chat', 'sendSeen', { chatId: CHAT, messageId: MESSAGE, options: WAIT }, 'send-seen'],
	['start_typing', 'chat', 'startTyping', { chatId: CHAT, options: WAIT }, 'start-typing'],
	['stop_typing', 'chat', 'stopTyping', { chatId: CHAT, options: WAIT }, 'stop-typing'],
	['queued_request', 'queuedRequest', 'get', { queuedRequestId: ai('queuedRequestId', 'The queuedRequestId a send returned') }, 'queued-requests/'],
	['delete', 'message', 'delete', { chatId: CHAT, messageId: MESSAGE, options: WAIT }, 'delete-message'],
	['instance_health', 'instance', 'getHealth', {}, 'health'],
	['instance_list', 'instance', 'getAll', {}, 'instances'],
	['instance_create', 'instance', 'create', { phone: ai('phone', 'The new instance\'s phone number, with country code'), name: ai('name', 'A name for the new instance') }, 'create-instance'],
	['instance_restart', 'instance', 'restart', {}, 'restart'],
	['instance_new_qr', 'instance', 'requestNewQr', {}, 'request-new-qr-code'],
	['otp_request', 'otp', 'requestCode', { chatId: CHAT }, 'request-code'],
	['otp_validate', 'otp', 'validateCode', { chatId: CHAT, code: ai('code', 'The code the person typed') }, 'validate-code'],
	['otp_link', 'otp', 'generateLink', { chatId: CHAT }, 'generate-link'],
	['sms_send', 'sms', 'send', { to: ai('to', 'The phone number, with country code'), content: ai('content', 'The SMS text') }, 'send-message'],
	['sms_list', 'sms', 'getAll', { limit: ai('limit', 'How many messages, 1 to 1000', 'number') }, 'messages'],
	['sms_heartbeats', 'sms', 'getHeartbeats', {}, 'heartbeats'],
	['sms_threads', 'smsThread', 'getAll', {}, 'message-threads'],
	['sms_thread_archive', 'smsThread', 'archive', { threadId: THREAD }, 'edit-message-thread'],
	['sms_delete', 'sms', 'delete', { messageId: SMS_ID }, 'delete-message'],
	['sms_thread_delete', 'smsThread', 'delete', { threadId: THREAD }, 'delete-message-thread'],
];

/** How many resource/operation pairs the node has: every one is in the table above. */
export const OPERATION_COUNT = 37;

export const EVERY = { id: 'hsEveryOperationTool', path: 'every-operation', webhookId: 'c0ffee00-1111-4222-8333-444455556666' };

export function everyOperationWorkflow(): Workflow {
	const tools: WorkflowNode[] = EVERY_OPERATION.map(([name, resource, operation, parameters], index) => ({
		id: `c0ffee00-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [index * 160, 240],
		parameters: { resource, operation, ...parameters },
		credentials: { [CREDENTIAL_TYPE]: { id: 'hsSandboxCredential', name: 'Hypersender (sandbox)' } },
	}));
	return {
		id: EVERY.id,
		name: 'Every Hypersender operation as an MCP tool',
		nodes: [
			{ id: 'c0ffee00-0000-4000-8000-000000000000', name: 'MCP Server Trigger', type: MCP_TRIGGER_TYPE, typeVersion: 2.1, position: [0, 0], webhookId: EVERY.webhookId, parameters: { path: EVERY.path } } as WorkflowNode,
			...tools,
		],
		connections: Object.fromEntries(tools.map((tool) => [tool.name, { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] }])),
		settings: { executionOrder: 'v1' },
	};
}

/**
 * What a model would fill in for each tool, from what earlier calls returned (`sent`: the sent
 * message's IDs, the one-time code, the SMS and its thread); a tool not listed gets the chat and
 * the sent message's ID.
 */
export function toolArguments(customerId: string, sent: Record<string, unknown>): Record<string, () => Record<string, unknown>> {
	return {
		contact_get_many: () => ({ limit: 2 }),
		contact_get_many_default: () => ({}),
		contact_upsert: () => ({ chatId: customerId, firstName: 'Maria' }),
		send_text: () => ({ chatId: customerId, text: 'Hello from an agent' }),
		send_image: () => ({ chatId: customerId, url: 'https://example.com/photo.jpg' }),
		send_video: () => ({ chatId: customerId, url: 'https://example.com/clip.mp4' }),
		send_file: () => ({ chatId: customerId, url: 'https://example.com/invoice.pdf' }),
		send_voice: () => ({ chatId: customerId, url: 'https://example.com/note.ogg' }),
		send_location: () => ({ chatId: customerId, latitude: 52.52, longitude: 13.405 }),
		send_contact_card: () => ({ chatId: customerId, fullName: 'Shop support', phoneNumber: '+4930123456' }),
		send_poll: () => ({ chatId: customerId, question: 'Which day suits you?', answers: 'Monday\nTuesday' }),
		send_link_preview: () => ({ chatId: customerId, text: 'Our offer: https://example.com/offer', previewUrl: 'https://example.com/offer', previewTitle: 'Offer' }),
		react: () => ({ chatId: customerId, messageId: sent.messageId, reaction: '👍' }),
		queued_request: () => ({ queuedRequestId: sent.queuedRequestId }),
		instance_health: () => ({}),
		instance_list: () => ({}),
		instance_create: () => ({ phone: '+49 151 7000 0099', name: 'Agent-made instance' }),
		instance_restart: () => ({}),
		instance_new_qr: () => ({}),
		otp_request: () => ({ chatId: customerId }),
		otp_validate: () => ({ chatId: customerId, code: sent.code }),
		otp_link: () => ({ chatId: customerId }),
		sms_send: () => ({ to: '+4915111112222', content: 'Your parcel is on its way' }),
		sms_list: () => ({ limit: 5 }),
		sms_heartbeats: () => ({}),
		sms_threads: () => ({}),
		sms_thread_archive: () => ({ threadId: sent.threadId }),
		sms_delete: () => ({ messageId: sent.smsId }),
		sms_thread_delete: () => ({ threadId: sent.threadId }),
	};
}

/** Keeps what a tool returned that a later call needs. */
export function remember(name: string, item: Record<string, unknown>, sent: Record<string, unknown>): void {
	if (name === 'send_text') Object.assign(sent, { messageId: item.messageId, queuedRequestId: item.queuedRequestId });
	if (name === 'otp_request') sent.code = item.code;
	if (name === 'sms_send') Object.assign(sent, { smsId: item.id, threadId: item.message_thread_id });
}
