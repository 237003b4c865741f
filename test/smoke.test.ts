import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const fake = useFakeRingCentral({ seedExtensions: 30 });

test('lists extensions through WorkflowExecute', async () => {
	const result = await runNode({
		credential: accessTokenCredential(fake.server),
		parameters: { resource: 'extension', operation: 'getAll', returnAll: true },
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(30);
});
