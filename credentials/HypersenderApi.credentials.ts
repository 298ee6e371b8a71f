import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional, for the Hypersender Trigger: the value Hypersender sends in the Authorization header of its webhooks (set the same value in the dashboard). Webhook calls without it are refused and start no workflow. Empty: any call to the webhook URL is accepted.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
			},
		},
	};

	// Reads one contact: the cheapest call that proves the token, the instance and the base URL together.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{encodeURIComponent($credentials.instanceId.trim())}}/contacts/get-all',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
		},
		rules: [
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
