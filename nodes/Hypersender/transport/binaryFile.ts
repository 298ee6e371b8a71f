import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { FileSource } from './multipart';

/**
 * An input item's binary file as a multipart source: its size known before any of it is read
 * (so a file over a limit is refused without being loaded), its bytes read only into the body.
 *
 * The size comes from what n8n itself recorded: for a file in n8n's binary store (filesystem,
 * S3, database: `id` set) the store's metadata, an exact byte count; for a file held in the item
 * (base64 in `data`) the length of that base64. `fileSize` ("12.3 MB") is rounded for display,
 * and `bytes` exists only in recent n8n versions and is a copy a Code node can leave stale.
 */
export async function binaryFileSource(
	this: IExecuteFunctions,
	itemIndex: number,
	binary: IBinaryData,
): Promise<FileSource> {
	const id = binary.id;
	if (!id) {
		const base64 = binary.data ?? '';
		return {
			// An upper bound, exact for base64 without line breaks (what n8n writes).
			size: Buffer.byteLength(base64, 'base64'),
			// Decoded straight into the body: no buffer of the file on its own.
			writeInto: async (window) => window.write(base64, 0, window.length, 'base64'),
		};
	}
	const metadata = await this.helpers.getBinaryMetadata(id);
	// A store without the object's length reports 0 (S3 without Content-Length): taken as unknown.
	const recorded = [metadata?.fileSize, binary.bytes].find((size) => Number.isSafeInteger(size) && (size as number) > 0);
	if (recorded === undefined) {
		// No size on record (an older or sparse binary store, or an empty file): the file is read once to learn it.
		const data = await this.helpers.getBinaryDataBuffer(itemIndex, binary);
		return { size: data.length, writeInto: async (window) => data.copy(window) };
	}
	return {
		size: recorded,
		writeInto: async (window) => {
			const stream = (await this.helpers.getBinaryStream(id)) as AsyncIterable<Buffer> & { destroy(): void };
			let written = 0;
			for await (const chunk of stream) {
				if (written + chunk.length > window.length) {
					stream.destroy();
					throw new Error(
						`The binary file "${binary.fileName ?? id}" is larger than the ${recorded} bytes n8n recorded for it: it changed while being sent`,
					);
				}
				written += chunk.copy(window, written);
			}
			return written;
		},
	};
}
