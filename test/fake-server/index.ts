import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { resolveOptions } from './options';
import { FakeServer } from './server';
import type { FakeRingCentral, FakeRingCentralOptions } from './types';
import { sharedValidator } from './validator';

export type * from './types';
export { DOCUMENTED_RATE_LIMITS } from './options';

/** Starts a fake RingCentral API on 127.0.0.1 (see README.md in this folder). */
export async function startFakeRingCentral(
	options: FakeRingCentralOptions = {},
): Promise<FakeRingCentral> {
	const resolved = resolveOptions(options);
	const validator = sharedValidator();
	const httpServer = createServer();
	const url = await listen(httpServer, resolved.port);
	const fake = new FakeServer(httpServer, url, resolved, validator);
	httpServer.on('request', (request, response) => void fake.handle(request, response));
	return fake;
}

function listen(httpServer: Server, port: number): Promise<string> {
	return new Promise((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(port, '127.0.0.1', () => {
			const { port: actualPort } = httpServer.address() as AddressInfo;
			resolve(`http://127.0.0.1:${actualPort}`);
		});
	});
}
