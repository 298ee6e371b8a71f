import type { INodeProperties } from 'n8n-workflow';

import * as generateLink from './generateLink.operation';
import * as requestCode from './requestCode.operation';
import * as validateCode from './validateCode.operation';

export { generateLink, requestCode, validateCode };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['otp'] } },
	options: [
		{
			name: 'Generate Link',
			value: 'generateLink',
			description:
				'Create a WhatsApp login link (wa.me) for passwordless login: the person sends its prefilled message and gets the login link back; outputs whatsappLink',
			action: 'Generate a login link',
		},
		{
			name: 'Request Code',
			value: 'requestCode',
			description:
				'Create a one-time code and send it to a person on WhatsApp; outputs the code record (uuid, code, expiresAt)',
			action: 'Request a verification code',
		},
		{
			name: 'Validate Code',
			value: 'validateCode',
			description:
				'Check the code a person entered: outputs valid true or false with the reason (invalid, expired, used, notFound); a code passes only once',
			action: 'Validate a verification code',
		},
	],
	default: 'requestCode',
};

export const description: INodeProperties[] = [
	operation,
	...generateLink.description,
	...requestCode.description,
	...validateCode.description,
];
