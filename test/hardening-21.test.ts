// Issue #21: a preview never writes, errors say what was written, match keys and secrets are
// handled strictly. Each test drives the node through n8n's engine against the fake RingCentral.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral } from './fake-server';
import { FIRST_EXTENSION_ID } from './fake-server/seed';
import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const LIST = 'listExtensions';
const BULK = 'extensionBulkUpdate';
const GET_TASK = 'getExtensionBulkUpdateTask';
const WRITES = ['createExtension', 'updateExtension', BULK, 'deleteExtension'];

function writesOf(server: FakeRingCentral) {
	return server.requests.filter(({ operationId }) => WRITES.includes(operationId ?? ''));
}

/** Create or Update with the form fields read from each item. */
const PROVISION: INodeParameters = {
	resource: 'extension',
	operation: 'createOrUpdate',
	firstName: '={{ $json.firstName }}',
	email: '={{ $json.email }}',
	additionalFields: { jobTitle: '={{ $json.jobTitle ?? "" }}' },
	pollInterval: 1,
};

const BULK_UPDATE: INodeParameters = {
	resource: 'extension',
	operation: 'bulkUpdate',
	pollInterval: 1,
};

/** One new person and one existing extension with a changed job title. */
function people(preview: string): IDataObject[] {
	return [
		{ firstName: 'Nina', email: 'nina.new@example.com', preview },
		{ firstName: 'User', email: 'user1@example.com', jobTitle: 'Boss', preview },
	];
}

describe('1. run-shaping booleans are read one strict way', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8 });

	test.each(['true', 'TRUE', ' true '])(
		'Create or Update: Preview Only from an expression giving the text %j writes nothing',
		async (preview) => {
			const { items, error } = await runNode({
				credential: accessTokenCredential(fake.server),
				items: people(preview),
				parameters: { ...PROVISION, dryRun: '={{ $json.preview }}' },
			});
			expect(error).toBeUndefined();
			expect(writesOf(fake.server)).toEqual([]);
			expect(items.map(({ json }) => [json.action, json.dryRun])).toEqual([
				['created', true],
				['updated', true],
			]);
		},
	);

	test('Bulk Update: Preview Only from an expression giving the text "true" writes nothing', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: FIRST_EXTENSION_ID, status: 'Disabled', preview: 'true' }],
			parameters: { ...BULK_UPDATE, dryRun: '={{ $json.preview }}' },
		});
		expect(error).toBeUndefined();
		expect(writesOf(fake.server)).toEqual([]);
		expect(items[0].json).toMatchObject({ dryRun: true, changes: { status: { to: 'Disabled' } } });
	});

	test('the text "false" is false: Bulk Update writes, and does not wait when Wait For Completion is "false"', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: FIRST_EXTENSION_ID, status: 'Disabled' }],
			parameters: { ...BULK_UPDATE, dryRun: '={{ "false" }}', waitForCompletion: '={{ "false" }}' },
		});
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor(BULK)).toHaveLength(1);
		expect(fake.server.requestsFor(GET_TASK)).toHaveLength(0);
		expect(items[0].json.status).not.toBe('Completed');
	});

	test.each([
		['dryRun', '={{ "yes" }}', 'the text "yes"'],
		['dryRun', '={{ 1 }}', 'the number 1'],
		['dryRun', '={{ null }}', 'null'],
		['waitForCompletion', '={{ "no" }}', 'the text "no"'],
	])('Bulk Update: %s = %s is refused before anything is sent', async (name, value, described) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: FIRST_EXTENSION_ID, status: 'Disabled' }],
			parameters: { ...BULK_UPDATE, [name]: value },
		});
		expect(error?.message).toBe(
			`Item 0, parameter "${name}": must be true or false, not ${described}`,
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('Create or Update: a Preview Only that is neither true nor false names its item; nothing is sent', async () => {
		const rows = people('false');
		rows[1].preview = 'maybe';
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: rows,
			parameters: { ...PROVISION, dryRun: '={{ $json.preview }}' },
		});
		expect(error?.message).toBe(
			'Item 1, parameter "dryRun": must be true or false, not the text "maybe"',
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('Delete: its options read booleans the same way ("false" is false; "no" is refused)', async () => {
		const deleteOne = (savePhoneLines: string) =>
			runNode({
				credential: accessTokenCredential(fake.server),
				parameters: {
					resource: 'extension',
					operation: 'delete',
					extensionId: { __rl: true, mode: 'id', value: String(FIRST_EXTENSION_ID + 1) },
					options: { savePhoneLines },
				},
			});
		const refused = await deleteOne('={{ "no" }}');
		expect(refused.error?.message).toBe(
			'Item 0, parameter "options.savePhoneLines": must be true or false, not the text "no"',
		);
		expect(fake.server.requests).toHaveLength(0);
		const { error } = await deleteOne('={{ "false" }}');
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor('deleteExtension')[0].rawQuery).toBe('savePhoneLines=false');
	});

	test('Get Many: Return All from an expression giving "true" lists everything', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', returnAll: '={{ "true" }}' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(8);
		expect(fake.server.requestsFor(LIST)).toHaveLength(1);
	});
});

describe('5. match keys: trimmed, ASCII case folding only, refused when RingCentral would refuse or confuse them', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8 });

	test('a Kelvin sign (U+212A) does not match "k": refused, nobody else is updated', async () => {
		fake.server.state.extensions[1].contact.email = 'kim@example.com';
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ firstName: 'Kim', email: '\u212Aim@example.com', jobTitle: 'Intruder' }],
			parameters: PROVISION,
		});
		expect(error?.message).toBe(
			'Item 0, parameter "email": contact.email contains "\u212A" (U+212A), which RingCentral does not take in an email address: "\u212Aim@example.com"',
		);
		expect(fake.server.requests).toHaveLength(0);
		expect(fake.server.state.extensions[1].contact.jobTitle).not.toBe('Intruder');
	});

	test('Bulk Update by email: a Kelvin sign is refused before any look-up', async () => {
		fake.server.state.extensions[1].contact.email = 'kim@example.com';
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ email: '\u212AIM@example.com', status: 'Disabled' }],
			parameters: { ...BULK_UPDATE, matchOn: 'email' },
		});
		expect(error?.message).toMatch(/^Item 0, parameter "source \(input item\)": contains "\u212A"/);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('ASCII case and surrounding spaces still do not matter', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ firstName: 'User', email: '  USER1@Example.COM ', jobTitle: 'Boss' }],
			parameters: PROVISION,
		});
		expect(error).toBeUndefined();
		expect(items[0].json.action).toBe('updated');
	});

	test.each([
		[
			'a zero-width space (refused before the first write, not after the updates)',
			'nina\u200b@example.com',
			'contains an invisible character (U+200B), which RingCentral does not take in an email address: "nina\u200b@example.com"',
		],
		[
			'a comma (refused naming its item, instead of failing the look-up for every row)',
			'a@example.com,b@example.com',
			'contains a comma: "a@example.com,b@example.com"; give one address per value',
		],
	])('an email with %s', async (_case, email, problem) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ firstName: 'User', email: 'user1@example.com', jobTitle: 'Boss' },
				{ firstName: 'Nina', email },
			],
			parameters: PROVISION,
		});
		expect(error?.message).toBe(`Item 1, parameter "email": contact.email ${problem}`);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('Create or Update by number: an email with a zero-width space is refused before the first write', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ firstName: 'User', email: 'user1@example.com', number: '101', jobTitle: 'Boss' },
				{ firstName: 'Nina', email: 'nina\u200b@example.com', number: '999' },
			],
			parameters: {
				...PROVISION,
				matchOn: 'extensionNumber',
				additionalFields: {
					jobTitle: '={{ $json.jobTitle ?? "" }}',
					extensionNumber: '={{ $json.number }}',
				},
			},
		});
		expect(error?.message).toMatch(
			/^Item 1, parameter "email": contact\.email contains an invisible character \(U\+200B\)/,
		);
		expect(writesOf(fake.server)).toEqual([]);
	});
});

/** Six existing extensions with a new job title each: more than five updates go out as a bulk update. */
function sixUpdates(jobTitle = 'Renamed'): IDataObject[] {
	return Array.from({ length: 6 }, (_, index) => ({
		firstName: 'User',
		email: `user${index + 1}@example.com`,
		jobTitle,
	}));
}

describe('4. a cancelled Create or Update names its bulk-update task', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8 });

	test('cancelling while it waits for its task gives the task id, as Bulk Update does', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: sixUpdates(),
			parameters: { ...PROVISION, pollInterval: 60 },
			cancelAfterMs: 500,
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		expect(taskId).toBeDefined();
		expect(error?.message).toMatch(/cancel/i);
		expect(error?.message).toContain(`Tasks of this run: ${taskId} (Accepted)`);
		expect(error?.description).toContain('Do not resend their records');
	});
});

describe('2. Continue On Fail when a step for the whole batch fails', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8 });

	const lookUpRefused = () =>
		fake.server.injectFault({ kind: 'status', status: 403, match: { operationId: LIST } });

	test('Create or Update: a look-up answered 403 makes every item an error item saying nothing was written', async () => {
		lookUpRefused();
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: people('false'),
			parameters: PROVISION,
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json, pairedItem }) => [json.outcome, pairedItem])).toEqual([
			['notWritten', { item: 0 }],
			['notWritten', { item: 1 }],
		]);
		for (const { json } of items) {
			expect(json.error).toMatch(/HTTP 403/);
			expect(json.firstName).toBeUndefined();
		}
		expect(writesOf(fake.server)).toEqual([]);
	});

	test('Create or Update without Continue On Fail: the error says per item that nothing was written', async () => {
		lookUpRefused();
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: people('false'),
			parameters: PROVISION,
		});
		expect(error?.message).toMatch(/HTTP 403/);
		expect(error?.description).toContain('What this run did, per item: not written: items 0, 1.');
	});

	test('Bulk Update by email: a look-up answered 403 makes every item an error item', async () => {
		lookUpRefused();
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: [
				{ email: 'user1@example.com', status: 'Disabled' },
				{ email: 'user2@example.com', status: 'Disabled' },
			],
			parameters: { ...BULK_UPDATE, matchOn: 'email' },
		});
		expect(items.map(({ json }) => [json.outcome, typeof json.error])).toEqual([
			['notWritten', 'string'],
			['notWritten', 'string'],
		]);
		expect(writesOf(fake.server)).toEqual([]);
	});
});

describe('3. outcomes that add up', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8, task: { completeAfterPolls: 1 } });

	/** Six updates in one bulk-update task, the first of which RingCentral refuses, and a new person. */
	function rows(): IDataObject[] {
		const updates = sixUpdates();
		// user2's number: the bulk-update record of item 0 fails (CMN-101), the five others go through.
		updates[0].number = '102';
		return [...updates, { firstName: 'Nina', email: 'nina.new@example.com' }];
	}
	const parameters: INodeParameters = {
		...PROVISION,
		additionalFields: {
			jobTitle: '={{ $json.jobTitle ?? "" }}',
			extensionNumber: '={{ $json.number ?? "" }}',
		},
	};

	test('one failed record of a bulk update: the error says which items were updated, and nothing is created after it', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: rows(),
			parameters,
		});
		expect(fake.server.requestsFor(BULK)).toHaveLength(1);
		expect(error?.message).toMatch(/^RingCentral did not update extension 100001/);
		expect(error?.description).toContain(
			'What this run did, per item: updated: items 1, 2, 3, 4, 5; not written: items 0, 6.',
		);
		expect(error?.description).toContain('Running the node again is safe');
		expect(fake.server.requestsFor('createExtension')).toHaveLength(0);
		expect(fake.server.state.extensions.slice(1, 6).map(({ contact }) => contact.jobTitle)).toEqual(
			Array(5).fill('Renamed'),
		);
	});

	test('with Continue On Fail each item says its own outcome', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: rows(),
			parameters,
		});
		expect(items.map(({ json }) => json.action ?? json.outcome)).toEqual([
			'notWritten',
			'updated',
			'updated',
			'updated',
			'updated',
			'updated',
			'created',
		]);
		expect(items[0].json.error).toMatch(/^RingCentral did not update extension 100001/);
	});

	test('a create whose answer is lost is reported as unknown, the items after it as not written', async () => {
		fake.server.injectFault({
			kind: 'dropAfterProcessing',
			match: { operationId: 'createExtension' },
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ firstName: 'User', email: 'user1@example.com', jobTitle: 'Boss' },
				{ firstName: 'Lost', email: 'lost@example.com' },
				{ firstName: 'Next', email: 'next@example.com' },
			],
			parameters: PROVISION,
		});
		expect(error?.description).toContain(
			'What this run did, per item: updated: item 0; not written: item 2; unknown (may have been written: check before running again): item 1.',
		);
	});

	test.each([
		[
			400,
			/HTTP 400/,
			'not written: item 1; unknown (may have been written: check before running again): item 0',
		],
		[
			503,
			/HTTP 503.*may have carried it out/,
			'unknown (may have been written: check before running again): items 0, 1',
		],
	])(
		'Bulk Update: a second request answered %i: the first one (not followed) is unknown, the second as its answer says',
		async (status, message, outcomes) => {
			fake.server.injectFault({ kind: 'status', status, match: { operationId: BULK }, after: 1 });
			const disable = (ids: number[]) => ids.map((id) => ({ id: String(id), status: 'Disabled' }));
			// Two JSON items: each array is its own request.
			const { error } = await runNode({
				credential: accessTokenCredential(fake.server),
				items: [
					{ records: disable([FIRST_EXTENSION_ID, FIRST_EXTENSION_ID + 1]) },
					{ records: disable([FIRST_EXTENSION_ID + 2]) },
				],
				parameters: { ...BULK_UPDATE, source: 'json', records: '={{ $json.records }}' },
			});
			expect(fake.server.requestsFor(BULK)).toHaveLength(2);
			expect(error?.message).toMatch(message);
			expect(error?.description).toContain(`What this run did, per item: ${outcomes}.`);
		},
	);
});

describe('3. Bulk Update error items say what became of their records', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8, task: { completeAfterPolls: 5 } });

	test.each([
		['ends Failed', 'notWritten'],
		['is still running at the poll timeout', 'unknown'],
	])(
		'with Continue On Fail, a task that %s gives error items with outcome %s',
		async (how, outcome) => {
			if (how === 'ends Failed') fake.server.failNextTask();
			const { items } = await runNode({
				credential: accessTokenCredential(fake.server),
				continueOnFail: true,
				items: [
					{ id: FIRST_EXTENSION_ID, status: 'Disabled' },
					{ id: FIRST_EXTENSION_ID + 1, status: 'Disabled' },
				],
				parameters: { ...BULK_UPDATE, pollTimeout: how === 'ends Failed' ? 60 : 1 },
			});
			const [taskId] = [...fake.server.state.tasks.keys()];
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ taskId, outcome });
			expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		},
	);
});

describe('3. outcomes that add up, one write per item (Create, Update, Delete)', () => {
	const fake = useFakeRingCentral({ seedExtensions: 8 });
	const create: INodeParameters = {
		resource: 'extension',
		operation: 'create',
		firstName: '={{ $json.firstName }}',
		email: '={{ $json.email }}',
	};
	const newPeople = [
		{ firstName: 'Ada', email: 'ada@example.com' },
		{ firstName: 'Taken', email: 'user1@example.com' },
		{ firstName: 'Bob', email: 'bob@example.com' },
	];

	test('Create: the error that stops the run says which items were created before it', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: newPeople,
			parameters: create,
		});
		expect(error?.message).toMatch(/HTTP 400/);
		expect(error?.description).toContain(
			'What this run did, per item: created: item 0; not written: items 1, 2.',
		);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(2);
	});

	test('Create with Continue On Fail: the failed item says it was not written', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: newPeople,
			parameters: create,
		});
		expect(items[1].json).toEqual({
			error: expect.stringMatching(/HTTP 400/),
			outcome: 'notWritten',
		});
		expect(items[2].json.contact).toMatchObject({ email: 'bob@example.com' });
	});
});

describe('6. secrets are masked wherever an answer is shown', () => {
	const fake = useFakeRingCentral({ seedExtensions: 3 });
	const createWithPassword: INodeParameters = {
		resource: 'extension',
		operation: 'create',
		firstName: 'Ada',
		email: 'ada@example.com',
		additionalFields: { password: 'Sup3r-Secret!' },
	};

	/** Everything of an error n8n shows but the node's own parameters (which hold what the user typed). */
	function shown(error: object | undefined): string {
		const { node: _node, ...rest } = (error ?? {}) as { node?: unknown };
		return JSON.stringify({ ...rest, message: (error as Error).message });
	}

	test('a JSON error message that repeats the access token', async () => {
		fake.server.injectFault({
			kind: 'status',
			status: 401,
			match: { operationId: LIST },
			body: {
				errorCode: 'TokenInvalid',
				message: 'Access token test-access-token is expired',
				errors: [{ errorCode: 'OAU-213', message: 'Token test-access-token expired' }],
			},
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', limit: 5 },
		});
		expect(error?.message).toBe(
			'RingCentral error TokenInvalid (HTTP 401): Access token *** is expired',
		);
		expect(shown(error)).not.toContain('test-access-token');
	});

	test('a token the node never saw (renewed during the request) is masked by its shape', async () => {
		const renewed = 'U0pDMTFQMDFQQVMwMHxBQUJfTVpYZEJsZ2VrQ3VpZ3p3NjBMdHZIM0Nn';
		fake.server.injectFault({
			kind: 'status',
			status: 400,
			match: { operationId: LIST },
			body: {
				errorCode: 'CMN-101',
				message: `Token ${renewed} is not valid for account 400000001`,
			},
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', limit: 5 },
		});
		expect(error?.message).toContain('Token *** is not valid for account 400000001');
		expect(shown(error)).not.toContain(renewed);
	});

	test("a proxy's HTML page that echoes the request shows no password", async () => {
		fake.server.injectFault({
			kind: 'raw',
			status: 200,
			match: { operationId: 'createExtension' },
			body: '<html><body>Blocked: {"contact":{"email":"ada@example.com"},"password":"Sup3r-Secret!"}</body></html>',
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createWithPassword,
		});
		expect(error?.description).toContain('The answer began: <html><body>Blocked:');
		expect(shown(error)).not.toContain('Sup3r-Secret!');
	});

	test('a JSON refusal that repeats the password sent', async () => {
		fake.server.injectFault({
			kind: 'status',
			status: 400,
			match: { operationId: 'createExtension' },
			body: {
				errorCode: 'CMN-101',
				message: 'Password Sup3r-Secret! is too weak',
				errors: [
					{ errorCode: 'CMN-101', message: 'Sup3r-Secret! is too weak', parameterName: 'password' },
				],
			},
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createWithPassword,
		});
		expect(error?.message).toBe('RingCentral error CMN-101 (HTTP 400): Password *** is too weak');
		expect(shown(error)).not.toContain('Sup3r-Secret!');
	});
});

describe('7. regionalSettings.homeCountry is checked (the spec gives it as an allOf)', () => {
	const fake = useFakeRingCentral({ seedExtensions: 3 });
	const createWithHomeCountry = (homeCountry: unknown) =>
		runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'create',
				specifyBody: 'json',
				jsonBody: JSON.stringify({
					contact: { firstName: 'Ada', email: 'ada@example.com' },
					regionalSettings: { homeCountry },
				}),
			},
		});

	test.each([
		[
			{ id: '1', bogus: 1 },
			'regionalSettings.homeCountry.bogus is not a property RingCentral accepts here',
		],
		[{ id: null }, 'regionalSettings.homeCountry.id is null'],
		['US', 'regionalSettings.homeCountry must be an object, not the text "US"'],
		[{ isoCode: 'USA' }, 'regionalSettings.homeCountry.isoCode is 3 characters long'],
	])('Create: homeCountry %j is refused before anything is sent', async (homeCountry, problem) => {
		const { error } = await createWithHomeCountry(homeCountry);
		expect(error?.message).toContain(`Item 0, parameter "jsonBody": ${problem}`);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('a homeCountry with an id and an ISO code still goes out', async () => {
		const { error } = await createWithHomeCountry({ id: '1', isoCode: 'US' });
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor('createExtension')[0].body).toMatchObject({
			regionalSettings: { homeCountry: { id: '1', isoCode: 'US' } },
		});
	});
});
