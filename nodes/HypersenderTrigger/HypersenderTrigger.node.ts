import type {
	IDataObject,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { checkBaseUrl } from '../Hypersender/helpers/baseUrl';
import type { HypersenderCredentials } from '../Hypersender/helpers/interfaces';
import { boolean, choices, OptionsReader, requiredText, wholeNumber } from '../Hypersender/helpers/parameters';
import { CREDENTIAL_TYPE } from '../Hypersender/transport';
import { admitCall } from './admission';
import { eventFacts, eventItem, skipReason, WEBHOOK_EVENTS } from './events';
import { attachMedia, DEFAULT_MAX_MEDIA_MB, incomingMedia, MEDIA_KINDS } from './media';
import { SMS_EVENTS, smsItem } from './sms';

/**
 * One list, as n8n's own triggers list every event of a service: the WhatsApp events, then the SMS
 * events as a group ("SMS: …", after them by name). The parameter and its WhatsApp values are the
 * released ones; a saved workflow keeps its selection and its behaviour.
 */
const events: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: ['message.any'],
	options: [
		...WEBHOOK_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
		...SMS_EVENTS.map(({ name, value, description, action }) => ({ name, value, description, action })),
	],
	description:
		'The events that start the workflow: WhatsApp events, then SMS events ("SMS: …", from an SMS instance: an Android phone used as the gateway)',
};

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Add Derived Fields',
			name: 'addDerivedFields',
			type: 'boolean',
			default: false,
			description:
				'Whether to add "sender", "senderKind" (phone, lid, group), "senderPhone" (E.164, or null), "displayName" and "messageText" to each WhatsApp item. SMS items already carry "from_phone_number" and "content".',
		},
		{
			displayName: 'Chat Types',
			name: 'chatTypes',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Direct', value: 'direct', description: 'Chats with one person' },
				{ name: 'Group', value: 'group', description: 'Group chats (…@g.us)' },
			],
			description: 'Only WhatsApp events from these chats start the workflow; none selected means all. SMS events are not filtered by it.',
		},
		{
			displayName: 'Download Media',
			name: 'downloadMedia',
			type: 'boolean',
			default: false,
			description:
				'Whether to download the media of incoming WhatsApp messages (voice notes, images, videos, documents, stickers) into the item\'s binary data (SMS carry no media). The webhook is answered first, so Hypersender never waits for a download. A download that fails leaves the item without the file and says why in "mediaError"; the workflow still starts.',
		},
		{
			displayName: 'Ignore Own Messages',
			name: 'ignoreOwnMessages',
			type: 'boolean',
			default: true,
			description:
				'Whether to ignore messages, reactions, revokes and votes you (or this workflow, through the API) made, so a bot that answers messages does not answer itself. Acks are about your own messages and always pass. SMS events are not filtered by it: "SMS: Message Received" is only ever incoming.',
		},
		{
			displayName: 'Max Media Size (MB)',
			name: 'maxMediaSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 2048 },
			default: DEFAULT_MAX_MEDIA_MB,
			description: `With Download Media on: larger media is not downloaded, and "mediaError" says so. Default ${DEFAULT_MAX_MEDIA_MB}: WhatsApp's own limit for images, voice notes and videos is 16 MB; documents may be larger.`,
		},
		{
			displayName: 'Media Types',
			name: 'mediaTypes',
			type: 'multiOptions',
			options: MEDIA_KINDS.map(({ name, value }) => ({ name, value })),
			default: ['image', 'audio', 'video', 'document', 'sticker'],
			description: 'With Download Media on: the kinds of media downloaded. Others keep their link in "media" as it came.',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			hint: 'The name of the output binary field to put the file in',
			description: 'With Download Media on: the binary field the media is stored in',
		},
	],
};

export class HypersenderTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hypersender Trigger',
		name: 'hypersenderTrigger',
		icon: { light: 'file:hypersender.svg', dark: 'file:hypersender.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when WhatsApp or SMS events arrive from Hypersender: messages, acks, reactions, polls; SMS received, sent, delivered or failed, missed calls, phone heartbeats',
		defaults: { name: 'Hypersender Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hypersenderApi', required: true }],
		// Answered at once with an empty 200: Hypersender only needs the status.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Copy the Production URL above (Webhook URLs) into the Hypersender dashboard: your instance › Webhook URL, then activate this workflow. Hypersender sends every event of the instance there; this node keeps the ones selected below. For SMS events, set the same URL as the webhook of your SMS instance (the credential\'s SMS Instance ID, or its Instance ID when that is empty).',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName:
					'Security: set a Webhook Secret in the credential and the same value as the webhook\'s Authorization header in the Hypersender dashboard (on the SMS instance too, for SMS events). Without a secret, anyone who learns this URL can start the workflow.',
				name: 'securityNotice',
				type: 'notice',
				default: '',
			},
			events,
			options,
		],
	};

	/**
	 * n8n calls these when the workflow is activated and deactivated. Hypersender has no API to
	 * register, read or remove a webhook (API map §3.3): its URL is set by hand in the dashboard, as
	 * the setup notice says, so there is nothing to look up, create or remove on Hypersender's side.
	 * The webhook "exists" as far as n8n can know; activation succeeds without calling the API, and
	 * deactivation leaves the dashboard's URL as it is (the user removes it there).
	 */
	webhookMethods = {
		default: {
			async checkExists(): Promise<boolean> {
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const credentials = (await this.getCredentials('hypersenderApi')) as unknown as HypersenderCredentials & {
			webhookSecret?: string;
		};
		const call = admitCall(
			{
				headers: request.headers,
				rawLength: (request as { rawBody?: Buffer }).rawBody?.length ?? 0,
				body: () => this.getBodyData(),
			},
			credentials,
		);
		if ('refused' in call) {
			// A refused call is answered here and starts no execution.
			response.status(call.refused.status).json({ message: call.refused.message });
			return { noWebhookResponse: true };
		}
		const selected = this.getNodeParameter(events.name, []) as string[];
		if (call.channel === 'sms') {
			// No WhatsApp filter or option applies to an SMS event: it is selected or not.
			if (!selected.includes(call.envelope.event)) {
				return { webhookResponse: { received: true, ignored: `the event "${call.envelope.event}" is not selected` } };
			}
			return { workflowData: [this.helpers.returnJsonArray([smsItem(call.envelope, call)])] };
		}

		const { envelope, instanceId: instance } = call;
		const chosen = this.getNodeParameter(options.name, {}) as IDataObject;
		const facts = eventFacts(envelope);
		const skip = skipReason(envelope, facts, {
			events: selected,
			ignoreOwnMessages: chosen.ignoreOwnMessages !== false,
			chatTypes: chosen.chatTypes as string[] | undefined,
		});
		if (skip !== undefined) return { webhookResponse: { received: true, ignored: skip } };

		const item = eventItem(envelope, facts, {
			instanceId: instance,
			userId: call.userId,
			addDerivedFields: chosen.addDerivedFields === true,
		});
		const reader = new OptionsReader(options, chosen);
		const media = reader.value('downloadMedia', boolean) ? incomingMedia(envelope.payload) : undefined;
		if (media === undefined || !reader.value('mediaTypes', choices).includes(media.kind)) {
			return { workflowData: [this.helpers.returnJsonArray([item])] };
		}
		// Answered before the download, as n8n would answer this webhook: Hypersender never waits
		// for a large file. The execution starts with the item once the file is in (or not).
		response.status(200).end();
		const baseUrl = checkBaseUrl(credentials.baseUrl);
		const withMedia = await attachMedia.call(this, item, envelope.payload, media, {
			binaryPropertyName: reader.value('binaryPropertyName', requiredText),
			maxBytes: reader.value('maxMediaSize', wholeNumber) * 1024 * 1024,
			// A Base URL that is not allowed takes the token nowhere.
			credential: { origin: 'origin' in baseUrl ? baseUrl.origin : 'null', credentialType: CREDENTIAL_TYPE },
			apiToken: String(credentials.apiToken ?? ''),
		});
		return { noWebhookResponse: true, workflowData: [[withMedia]] };
	}
}
