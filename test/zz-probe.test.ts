import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const createAda = { resource: 'extension', operation: 'create', firstName: 'Ada', email: 'ada@example.com' };
const listOne = { resource: 'extension', operation: 'getAll', returnAll: false, limit: 5 };
describe('probe', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });
	test('truncated create', async () => {
		fake.server.injectFault({ match: { operationId: 'createExtension' }, kind: 'truncateAfterProcessing' });
		const r = await runNode({ credential: accessTokenCredential(fake.server), parameters: createAda });
		require('fs').appendFileSync('/tmp/hx/probe.txt', JSON.stringify(['T-CREATE', r.error?.message, (r.error as any)?.description, r.items.length, fake.server.requests.map((q) => q.status)]) + "\n");
	});
	test('truncated get', async () => {
		fake.server.injectFault({ match: { operationId: 'listExtensions' }, kind: 'truncateAfterProcessing' });
		const r = await runNode({ credential: accessTokenCredential(fake.server), parameters: listOne });
		require('fs').appendFileSync('/tmp/hx/probe.txt', JSON.stringify(['T-GET', r.error?.message, r.items.length, fake.server.requests.map((q) => q.status)]) + "\n");
	});
	test('html', async () => {
		fake.server.injectFault({ match: { operationId: 'listExtensions' }, kind: 'raw', status: 200, body: '<html>hi</html>' });
		const r = await runNode({ credential: accessTokenCredential(fake.server), parameters: listOne });
		require('fs').appendFileSync('/tmp/hx/probe.txt', JSON.stringify(['HTML', r.error?.message, r.items.length]) + "\n");
	});
	test('redirect', async () => {
		fake.server.injectFault({ match: { operationId: 'createExtension' }, kind: 'redirect', location: fake.server.url + '/restapi/v1.0/account/~/extension' });
		const r = await runNode({ credential: accessTokenCredential(fake.server), parameters: createAda });
		require('fs').appendFileSync('/tmp/hx/probe.txt', JSON.stringify(['REDIR', r.error?.message, r.items.length, fake.server.requests.map((q) => q.method + q.status)]) + "\n");
	});
});
