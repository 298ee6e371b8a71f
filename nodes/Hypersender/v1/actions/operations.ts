import type { INodeProperties } from 'n8n-workflow';

import type { OperationTable } from '../../execution/kinds';
import * as chat from './chat';
import * as contact from './contact';
import * as instance from './instance';
import * as message from './message';
import * as otp from './otp';
import * as queuedRequest from './queuedRequest';
import * as sms from './sms';
import * as smsThread from './smsThread';

export const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Chat', value: 'chat' },
		{ name: 'Contact', value: 'contact' },
		{ name: 'Instance', value: 'instance' },
		{ name: 'Message', value: 'message' },
		{ name: 'One-Time Code', value: 'otp' },
		{ name: 'Queued Request', value: 'queuedRequest' },
		{ name: 'SMS', value: 'sms' },
		{ name: 'SMS Thread', value: 'smsThread' },
	],
	// Contact stays the default: saved workflows that never changed it rely on that.
	default: 'contact',
};

/** Every operation of version 1, by resource and operation value: adding one is one line here. */
export const operations: OperationTable = {
	resource,
	resources: {
		chat: {
			operation: chat.operation,
			operations: {
				markRead: chat.markRead,
				sendSeen: chat.sendSeen,
				startTyping: chat.startTyping,
				stopTyping: chat.stopTyping,
			},
		},
		contact: {
			operation: contact.operation,
			operations: {
				get: contact.get,
				getAll: contact.getAll,
				getProfilePicture: contact.getProfilePicture,
				upsert: contact.upsert,
			},
		},
		instance: {
			operation: instance.operation,
			operations: {
				create: instance.create,
				getAll: instance.getAll,
				getHealth: instance.getHealth,
				requestNewQr: instance.requestNewQr,
				restart: instance.restart,
			},
		},
		message: {
			operation: message.operation,
			operations: {
				delete: message.deleteMessage,
				forward: message.forward,
				react: message.react,
				sendContactCard: message.sendContactCard,
				sendFile: message.sendFile,
				sendImage: message.sendImage,
				sendLinkPreview: message.sendLinkPreview,
				sendLocation: message.sendLocation,
				sendPoll: message.sendPoll,
				sendText: message.sendText,
				sendVideo: message.sendVideo,
				sendVoice: message.sendVoice,
				star: message.star,
			},
		},
		otp: {
			operation: otp.operation,
			operations: {
				generateLink: otp.generateLink,
				requestCode: otp.requestCode,
				validateCode: otp.validateCode,
			},
		},
		queuedRequest: {
			operation: queuedRequest.operation,
			operations: { get: queuedRequest.get },
		},
		sms: {
			operation: sms.operation,
			operations: {
				delete: sms.deleteMessage,
				getAll: sms.getAll,
				getHeartbeats: sms.getHeartbeats,
				send: sms.send,
			},
		},
		smsThread: {
			operation: smsThread.operation,
			operations: {
				archive: smsThread.archive,
				delete: smsThread.deleteThread,
				getAll: smsThread.getAll,
			},
		},
	},
};
