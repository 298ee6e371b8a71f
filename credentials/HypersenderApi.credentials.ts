import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { BASE_URL_FORMS, checkBaseUrl } from '../nodes/Hypersender/helpers/baseUrl';

/** What a redirect answer to the test request tells the user (n8n shows the rule's message). */
const REDIRECT_MESSAGE =
	'The Base URL answered with a redirect (HTTP %s). Requests are not followed to another address, so the API token stays with the Base URL: set the Base URL to the API\'s own address (https://app.hypersender.com/api/whatsapp/v2 or your server\'s).';

/** The absolute URL a request goes to, whichever way n8n's helpers spell it. */
function requestTarget(options: IHttpRequestOptions): URL | undefined {
	const loose = options as IHttpRequestOptions & { uri?: string };
	const url = loose.url ?? loose.uri;
	if (typeof url !== 'string' || url === '') return undefined;
	try {
		return new URL(url, typeof loose.baseURL === 'string' && loose.baseURL !== '' ? loose.baseURL : undefined);
	} catch {
		return undefined;
	}
}

export class HypersenderApi implements ICredentialType {
	name = 'hypersenderApi';

	displayName = 'Hypersender API';

	icon: Icon = {
		light: 'file:../nodes/Hypersender/hypersender.svg',
		dark: 'file:../nodes/Hypersender/hypersender.dark.svg',
	};

	documentationUrl = 'https://github.com/hypersender/n8n-nodes-hypersender#credentials-hypersender-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API token of your Hypersender account, from the Hypersender dashboard',
		},
		{
			displayName: 'Instance ID',
			name: 'instanceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65',
			description:
				'The UUID of the WhatsApp instance, shown on its page in the Hypersender dashboard. A node can override it in its options.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.hypersender.com/api/whatsapp/v2',
			required: true,
			description:
				'Base URL of the Hypersender WhatsApp API, starting with https://. Change it only for a self-hosted, staging or sandbox server.',
		},
		{
			displayName: 'SMS Instance ID',
			name: 'smsInstanceId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 4b1d7c3e-8a2f-4e6b-9c0d-2f1e3a4b5c6d',
			description:
				'Optional, for the SMS and SMS Thread resources: the UUID of your SMS gateway (the Android phone) in the Hypersender dashboard, when it is not the WhatsApp instance above. Empty: the Instance ID above. SMS and one-time codes use the same token and server as WhatsApp (…/api/sms/v2 and …/api/otp/v2 beside the Base URL).',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional, for the Hypersender Trigger: the value Hypersender sends in the Authorization header of its webhooks (set the same value in the dashboard). Webhook calls without it are refused and start no workflow. Spaces around it are ignored. Empty (or only spaces): any call to the webhook URL is accepted.',
		},
	];

	/**
	 * Adds the token, but only to a request for the Base URL's own origin (https, or http on this
	 * machine), and turns redirects off: n8n's request helper would otherwise follow a 3xx to any
	 * host with the Authorization header (and a 307 with the whole message body). The node checks
	 * the Base URL itself before it sends anything; this is the same rule for the credential test
	 * and for any other node a user lends this credential to.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const base = checkBaseUrl(credentials.baseUrl);
		if ('problem' in base) {
			throw new Error(`Invalid Base URL in the Hypersender API credential: ${base.problem}. Allowed: ${BASE_URL_FORMS}.`);
		}
		const target = requestTarget(requestOptions);
		if (target?.origin !== base.origin) {
			throw new Error(
				`The Hypersender API token is only sent to the credential's Base URL (${base.origin}); this request goes to ${target ? target.host : 'no valid URL'}.`,
			);
		}
		const legacy = requestOptions as IHttpRequestOptions & { followRedirect?: boolean; followAllRedirects?: boolean };
		legacy.disableFollowRedirect = true;
		legacy.followRedirect = false;
		legacy.followAllRedirects = false;
		legacy.sendCredentialsOnCrossOriginRedirect = false;
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiToken ?? '')}` };
		return requestOptions;
	}

	// Reads one contact: the cheapest call that proves the token, the instance and the base URL together.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{encodeURIComponent($credentials.instanceId.trim())}}/contacts/get-all',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
			disableFollowRedirect: true,
		},
		rules: [
			...[301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: { value: status, message: REDIRECT_MESSAGE.replace('%s', String(status)) },
			})),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API token was rejected. Copy it again from the Hypersender dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No WhatsApp instance with this Instance ID at this Base URL. Check the Instance ID, and the Base URL if you changed it.',
				},
			},
		],
	};
}
