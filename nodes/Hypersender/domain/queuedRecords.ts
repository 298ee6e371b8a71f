import type { ItemClient } from '../transport';
import { nodeApiError } from '../transport/errors';
import type { QueuedRecord } from '../transport/queued';
import { parseRecord } from '../transport/queued';

/** Reads one queued record; an unknown ID is an error that says so (with the ID). */
export async function readQueuedRecord(client: ItemClient, id: string): Promise<QueuedRecord> {
	const how = {
		idempotent: true,
		what: `read of the queued request "${id}"`,
		expected: 'JSON with the queued request\'s "response_status"',
	};
	const response = await client.find({ method: 'GET', path: `queued-requests/${encodeURIComponent(id)}` }, how);
	if (response === null) {
		const message = `No queued request found with the ID "${id}"`;
		throw nodeApiError(client.node, message, {
			itemIndex: client.itemIndex,
			httpCode: '404',
			description:
				'Check the ID (the "queuedRequestId" a Message or Chat operation output) and that the credential (or the Instance ID option) names the instance that queued it.',
		});
	}
	const record = parseRecord(response.json);
	if (!record) throw client.unexpected('the JSON has no "response_status"', how);
	return record;
}
