import type { INodeProperties } from 'n8n-workflow';

import * as deleteMessage from './delete.operation';
import * as forward from './forward.operation';
import { sendFile, sendImage, sendVideo, sendVoice } from './media.operation';
import * as react from './react.operation';
import * as sendContactCard from './sendContactCard.operation';
import * as sendLinkPreview from './sendLinkPreview.operation';
import * as sendLocation from './sendLocation.operation';
import * as sendPoll from './sendPoll.operation';
import * as sendText from './sendText.operation';
import * as star from './star.operation';

export {
	deleteMessage,
	forward,
	react,
	sendContactCard,
	sendFile,
	sendImage,
	sendLinkPreview,
	sendLocation,
	sendPoll,
	sendText,
	sendVideo,
	sendVoice,
	star,
};

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{ name: 'Delete', value: 'delete', description: 'Delete a message for everyone', action: 'Delete a message' },
		{ name: 'Forward', value: 'forward', description: 'Forward a message to a chat', action: 'Forward a message' },
		{ name: 'React', value: 'react', description: 'React to a message with an emoji, or remove the reaction', action: 'React to a message' },
		{ name: 'Send Contact Card', value: 'sendContactCard', description: 'Send one or more contact cards', action: 'Send a contact card' },
		{ name: 'Send File', value: 'sendFile', description: 'Send a document or any file, from a URL or binary data', action: 'Send a file' },
		{ name: 'Send Image', value: 'sendImage', description: 'Send an image, from a URL or binary data', action: 'Send an image' },
		{
			name: 'Send Link Preview',
			value: 'sendLinkPreview',
			description: 'Send a text with a custom link preview card (title, description, image); needs a paid Hypersender plan',
			action: 'Send a text with a link preview',
		},
		{ name: 'Send Location', value: 'sendLocation', description: 'Send a location pin', action: 'Send a location' },
		{ name: 'Send Poll', value: 'sendPoll', description: 'Send a poll', action: 'Send a poll' },
		{ name: 'Send Text', value: 'sendText', description: 'Send a text message', action: 'Send a text message' },
		{ name: 'Send Video', value: 'sendVideo', description: 'Send a video or video note, from a URL or binary data', action: 'Send a video' },
		{ name: 'Send Voice', value: 'sendVoice', description: 'Send a voice message, from a URL or binary data', action: 'Send a voice message' },
		{ name: 'Star', value: 'star', description: 'Star or unstar a message', action: 'Star or unstar a message' },
	],
	default: 'sendText',
};

export const description: INodeProperties[] = [
	operation,
	...deleteMessage.description,
	...forward.description,
	...react.description,
	...sendContactCard.description,
	...sendFile.description,
	...sendImage.description,
	...sendLinkPreview.description,
	...sendLocation.description,
	...sendPoll.description,
	...sendText.description,
	...sendVideo.description,
	...sendVoice.description,
	...star.description,
];
