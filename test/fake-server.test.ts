import {
	startFakeRingCentral,
	type FakeRingCentral,
	type FakeRingCentralOptions,
} from './fake-server';
import { sharedValidator, type SpecValidator } from './fake-server/validator';

const ACCOUNT = '/restapi/v1.0/account/~';
const BEARER = { Authorization: 'Bearer test-access-token' };
const BASIC = {
	Authorization: `Basic ${Buffer.from('test-client-id:test-client-secret').toString('base64')}`,
};
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

interface Answer {
	status: number;
	headers: Headers;
	// Answers are read field by field in assertions; typing every shape would add nothing.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

async function call(
	base: FakeRingCentral | string,
	path: string,
	init: RequestInit = {},
): Promise<Answer> {
	const url = typeof base === 'string' ? base : `${base.url}${path}`;
	const response = await fetch(url, {
		redirect: 'manual',
		...init,
		headers: { ...BEARER, ...init.headers },
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: text ? JSON.parse(text) : undefined,
	};
}

function postJson(fake: FakeRingCentral, path: string, body: unknown): Promise<Answer> {
	return call(fake, path, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) });
}

function requestToken(
	fake: FakeRingCentral,
	form: Record<string, string>,
	headers: Record<string, string> = BASIC,
) {
	return call(fake, '/restapi/oauth/token', {
		method: 'POST',
		headers: { ...FORM, ...headers },
		body: new URLSearchParams(form).toString(),
	});
}

function jwtToken(fake: FakeRingCentral, assertion = 'test-jwt') {
	return requestToken(fake, {
		grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
		assertion,
	});
}

async function withFake(
	options: FakeRingCentralOptions,
	run: (fake: FakeRingCentral) => Promise<void>,
) {
	const fake = await startFakeRingCentral(options);
	try {
		await run(fake);
	} finally {
		await fake.close();
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fake RingCentral server', () => {
	let fake: FakeRingCentral;
	let validator: SpecValidator;

	beforeAll(async () => {
		fake = await startFakeRingCentral();
		validator = sharedValidator();
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.reset({ state: true }));

	function expectValidResponse(operationId: string, answer: Answer) {
		expect(validator.validateResponse(operationId, answer.status, answer.body)).toEqual([]);
	}

	describe('list extensions', () => {
		it('pages with absolute navigation links that keep the filters', async () => {
			const first = await call(
				fake,
				`${ACCOUNT}/extension?perPage=10&status=Enabled&status=Disabled`,
			);
			expect(first.status).toBe(200);
			expect(first.headers.get('content-type')).toBe('application/json');
			expectValidResponse('listExtensions', first);
			const matching = fake.state.extensions.filter((e) =>
				['Enabled', 'Disabled'].includes(e.status),
			);
			expect(first.body.paging).toEqual({
				page: 1,
				perPage: 10,
				pageStart: 0,
				pageEnd: 9,
				totalPages: Math.ceil(matching.length / 10),
				totalElements: matching.length,
			});
			expect(first.body.navigation.previousPage).toBeUndefined();
			const next = new URL(first.body.navigation.nextPage.uri);
			expect(next.origin).toBe(fake.url);
			expect(next.searchParams.getAll('status')).toEqual(['Enabled', 'Disabled']);
			expect(next.searchParams.get('page')).toBe('2');

			const ids: number[] = [];
			for (let uri: string | undefined = first.body.uri; uri; ) {
				const page = await call(uri, '');
				ids.push(...page.body.records.map((record: { id: number }) => record.id));
				uri = page.body.navigation.nextPage?.uri;
			}
			expect(ids).toEqual(matching.map((e) => e.id));
			expect(typeof ids[0]).toBe('number');
		});

		it('caps perPage at 1000 and reports the effective size', async () => {
			await withFake({ seedExtensions: 1200 }, async (big) => {
				const page = await call(big, `${ACCOUNT}/extension?perPage=5000`);
				expect(page.body.paging).toMatchObject({
					perPage: 1000,
					totalPages: 2,
					totalElements: 1200,
				});
				expect(page.body.records).toHaveLength(1000);
			});
		});

		it('defaults to 100 per page and answers an empty page past the end', async () => {
			const page = await call(fake, `${ACCOUNT}/extension?page=3`);
			expect(page.body.records).toEqual([]);
			expect(page.body.paging).toEqual({ page: 3, perPage: 100, totalPages: 1, totalElements: 25 });
			expect(page.body.navigation.nextPage).toBeUndefined();
		});

		it('filters on repeated keys, email case-insensitively', async () => {
			const byEmail = await call(
				fake,
				`${ACCOUNT}/extension?email=USER1@example.com&email=user3@example.com`,
			);
			expect(
				byEmail.body.records.map((r: { extensionNumber: string }) => r.extensionNumber),
			).toEqual(['101', '103']);
			const byType = await call(fake, `${ACCOUNT}/extension?type=Department&type=Announcement`);
			expect(new Set(byType.body.records.map((r: { type: string }) => r.type))).toEqual(
				new Set(['Department', 'Announcement']),
			);
			const byNumber = await call(fake, `${ACCOUNT}/extension?extensionNumber=105`);
			expect(byNumber.body.records).toHaveLength(1);
			expect(fake.requestsFor('listExtensions')[0].query.email).toEqual([
				'USER1@example.com',
				'user3@example.com',
			]);
		});

		it('serves navigation links on navigationBaseUrl', async () => {
			await withFake({ navigationBaseUrl: 'https://elsewhere.example' }, async (foreign) => {
				const page = await call(foreign, `${ACCOUNT}/extension?perPage=5`);
				expect(page.body.navigation.nextPage.uri).toMatch(
					/^https:\/\/elsewhere\.example\/restapi\/v1\.0\/account\/400000001\/extension\?/,
				);
			});
		});

		it('knows only its own account', async () => {
			expect((await call(fake, '/restapi/v1.0/account/400000001/extension')).status).toBe(200);
			const other = await call(fake, '/restapi/v1.0/account/999/extension');
			expect(other.status).toBe(404);
			expect(other.body.errorCode).toBe('CMN-102');
		});
	});

	describe('spec violations', () => {
		it.each([
			['an unknown status', `${ACCOUNT}/extension?status=Bogus`, 'status'],
			['comma-separated emails', `${ACCOUNT}/extension?email=a@example.com,b@example.com`, 'email'],
			['a query key the spec does not define', `${ACCOUNT}/extension?search=x`, 'search'],
			['page 0', `${ACCOUNT}/extension?page=0`, 'page'],
			['a template type outside the enum', `${ACCOUNT}/templates?type=Nope`, 'type'],
		])('rejects %s', async (_, path, parameterName) => {
			const answer = await call(fake, path);
			expect(answer.status).toBe(400);
			expect(answer.body).toMatchObject({
				errorCode: 'CMN-101',
				errors: [{ errorCode: 'CMN-101', parameterName }],
			});
			expect(answer.body.message).toContain(`[${parameterName}]`);
			expect(fake.violations).toHaveLength(1);
			expect(fake.violations[0].request).toBe(`GET ${path}`);
		});

		it('rejects body properties the spec does not define, at any depth', async () => {
			const answer = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, {
				records: [
					{ id: '100001', uri: 'http://x', contact: { email: 'a@example.com', name: 'A' } },
				],
			});
			expect(answer.status).toBe(400);
			expect(
				answer.body.errors.map((e: { parameterName: string }) => e.parameterName).sort(),
			).toEqual(['records[0].contact.name', 'records[0].uri']);
			expect(fake.violations).toHaveLength(1);
		});

		it('treats allOf objects in bodies strictly too', async () => {
			const homeCountry = { id: '1', isoCode: 'US', name: 'United States' };
			const good = await postJson(fake, `${ACCOUNT}/extension`, {
				contact: { firstName: 'Ann', email: 'ann@example.com' },
				regionalSettings: { homeCountry },
			});
			expect(good.status).toBe(200);
			const bad = await postJson(fake, `${ACCOUNT}/extension`, {
				contact: { firstName: 'Bo', email: 'bo@example.com' },
				regionalSettings: { homeCountry: { ...homeCountry, flag: 'x' } },
			});
			expect(bad.body.errors[0].parameterName).toBe('regionalSettings.homeCountry.flag');
		});

		it('rejects bad bodies: not JSON, missing a required field, 0 or 501 records, a numeric id', async () => {
			const form = await call(fake, `${ACCOUNT}/extension`, {
				method: 'POST',
				headers: FORM,
				body: 'a=1',
			});
			expect(form.body.errors[0].parameterName).toBe('body');
			const missing = await postJson(fake, `${ACCOUNT}/extension`, {
				contact: { firstName: 'No email' },
			});
			expect(missing.body.errors[0]).toMatchObject({
				parameterName: 'contact.email',
				message: 'Parameter [contact.email] is required',
			});
			const tooMany = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, {
				records: Array.from({ length: 501 }, (_, i) => ({ id: String(100001 + i) })),
			});
			expect(tooMany.body.errors[0].parameterName).toBe('records');
			const empty = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, { records: [] });
			expect(empty.body.errors[0].parameterName).toBe('records');
			const numericId = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, {
				records: [{ id: 100001 }],
			});
			expect(numericId.body.errors[0].parameterName).toBe('records[0].id');
			expect(fake.violations).toHaveLength(5);
			expect(fake.state.tasks.size).toBe(0);
		});

		it('answers unknown paths 404 CMN-102 and records them', async () => {
			const answer = await call(fake, `${ACCOUNT}/extension/100001/grants`);
			expect(answer.status).toBe(404);
			expect(answer.body.errorCode).toBe('CMN-102');
			expect(fake.violations[0].request).toBe(`GET ${ACCOUNT}/extension/100001/grants`);
		});

		it('allows the credential test endpoint', async () => {
			const answer = await call(fake, `${ACCOUNT}/extension/~`);
			expect(answer.status).toBe(200);
			expect(answer.body).toMatchObject({ id: 100001, status: 'Enabled', type: 'User' });
			expect(fake.requests[0]).toMatchObject({
				operationId: 'readCurrentExtension',
				group: 'Light',
				status: 200,
			});
			expect(fake.violations).toEqual([]);
		});
	});

	describe('create extension', () => {
		it('creates a NotActivated user with the next free number', async () => {
			const answer = await postJson(fake, `${ACCOUNT}/extension`, {
				contact: { firstName: 'New', lastName: 'User', email: 'new.user@example.com' },
				status: 'Enabled',
			});
			expect(answer.status).toBe(200);
			expectValidResponse('createExtension', answer);
			expect(answer.body).toMatchObject({
				id: 100026,
				extensionNumber: '126',
				name: 'New User',
				type: 'User',
				status: 'NotActivated',
			});
			expect(fake.state.extensions.at(-1)?.contact.email).toBe('new.user@example.com');
		});

		it('starts Enabled with a password', async () => {
			const answer = await postJson(fake, `${ACCOUNT}/extension`, {
				contact: { firstName: 'Pat', email: 'pat@example.com' },
				extensionNumber: '777',
				password: 'S3cret!',
				status: 'Enabled',
			});
			expect(answer.body).toMatchObject({ extensionNumber: '777', status: 'Enabled' });
			expect(answer.body.password).toBeUndefined();
		});

		it('refuses a duplicate email or extension number', async () => {
			const answer = await postJson(fake, `${ACCOUNT}/extension`, {
				contact: { firstName: 'Dup', email: 'User2@Example.com' },
				extensionNumber: '101',
			});
			expect(answer.status).toBe(400);
			expect(answer.body.errorCode).toBe('CMN-101');
			expect(answer.body.errors).toEqual([
				expect.objectContaining({
					parameterName: 'contact.email',
					message: expect.stringContaining('already in use'),
				}),
				expect.objectContaining({ parameterName: 'extensionNumber' }),
			]);
			expect(fake.state.extensions).toHaveLength(25);
			expect(fake.violations).toEqual([]);
		});
	});

	describe('one extension: read, update, delete', () => {
		const putJson = (path: string, body: unknown) =>
			call(fake, path, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify(body) });

		it('reads an extension by id, and answers 404 CMN-102 for an unknown one', async () => {
			const answer = await call(fake, `${ACCOUNT}/extension/100002`);
			expect(answer.status).toBe(200);
			expectValidResponse('readExtension', answer);
			expect(answer.body).toMatchObject({ id: 100002, contact: { email: 'user2@example.com' } });
			const missing = await call(fake, `${ACCOUNT}/extension/999999`);
			expect(missing.status).toBe(404);
			expect(missing.body.errorCode).toBe('CMN-102');
			expect(fake.requestsFor('readExtension')).toHaveLength(2);
		});

		it('updates with an ExtensionUpdateRequest at once and answers the record', async () => {
			const answer = await putJson(`${ACCOUNT}/extension/100001`, {
				status: 'Disabled',
				contact: { lastName: 'Renamed', jobTitle: 'Lead' },
			});
			expect(answer.status).toBe(200);
			expectValidResponse('updateExtension', answer);
			expect(answer.body).toMatchObject({
				status: 'Disabled',
				name: 'Alice Renamed',
				contact: { firstName: 'Alice', lastName: 'Renamed', jobTitle: 'Lead' },
			});
			expect(fake.state.extensions[0]).toMatchObject({ status: 'Disabled' });
		});

		it('takes a site as { id } in a PUT (the bulk-update shape wants a URI there)', async () => {
			const answer = await putJson(`${ACCOUNT}/extension/100001`, { site: { id: '55' } });
			expect(answer.status).toBe(200);
			expect(fake.state.extensions[0].site).toEqual({ id: '55' });
			const bulk = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, {
				records: [{ id: '100001', site: { id: '55' } }],
			});
			expect(bulk.status).toBe(400);
			expect(bulk.body.errors[0].parameterName).toBe('records[0].site.id');
		});

		it('refuses an email or number in use, like create, and changes nothing', async () => {
			const before = structuredClone(fake.state.extensions[0]);
			const answer = await putJson(`${ACCOUNT}/extension/100001`, {
				contact: { email: 'USER3@example.com' },
				extensionNumber: '104',
			});
			expect(answer.status).toBe(400);
			expect(answer.body.errors.map((e: { parameterName: string }) => e.parameterName)).toEqual([
				'contact.email',
				'extensionNumber',
			]);
			expect(fake.state.extensions[0]).toEqual(before);
			// Its own email and number are no conflict.
			const own = await putJson(`${ACCOUNT}/extension/100001`, {
				contact: { email: 'User1@example.com' },
				extensionNumber: '101',
			});
			expect(own.status).toBe(200);
		});

		it('answers 404 CMN-102 for an update of an unknown id', async () => {
			const answer = await putJson(`${ACCOUNT}/extension/999999`, { status: 'Enabled' });
			expect(answer.status).toBe(404);
			expect(answer.body.errorCode).toBe('CMN-102');
		});

		it('takes the PUT shape, not the bulk-update one: an id or a reason is a violation', async () => {
			const answer = await putJson(`${ACCOUNT}/extension/100001`, {
				id: '100001',
				reason: 'Left',
				status: 'Disabled',
			});
			expect(answer.status).toBe(400);
			expect(answer.body.errors.map((e: { parameterName: string }) => e.parameterName)).toEqual(
				expect.arrayContaining(['id', 'reason']),
			);
			expect(fake.state.extensions[0].status).toBe('Enabled');
			expect(fake.violations).toHaveLength(1);
		});

		it('deletes with 204 and no body; the extension is gone', async () => {
			const answer = await call(
				fake,
				`${ACCOUNT}/extension/100003?savePhoneLines=true&savePhoneNumbers=false`,
				{ method: 'DELETE' },
			);
			expect(answer.status).toBe(204);
			expect(answer.body).toBeUndefined();
			expect(fake.state.extensions.map(({ id }) => id)).not.toContain(100003);
			expect(fake.state.extensions).toHaveLength(24);
			const again = await call(fake, `${ACCOUNT}/extension/100003`, { method: 'DELETE' });
			expect(again.status).toBe(404);
			expect(again.body.errorCode).toBe('CMN-102');
			expect(fake.violations).toEqual([]);
		});

		it('refuses a delete query parameter the spec does not define', async () => {
			const answer = await call(fake, `${ACCOUNT}/extension/100003?force=true`, {
				method: 'DELETE',
			});
			expect(answer.status).toBe(400);
			expect(fake.state.extensions).toHaveLength(25);
		});
	});

	describe('bulk update', () => {
		const records = [
			{ id: '100002', status: 'Disabled', contact: { department: 'Legal' } },
			{ id: '999999', status: 'Enabled' },
			{ id: '100003', contact: { email: 'user1@example.com' } },
		];

		async function pollTask(target: FakeRingCentral, taskId: string) {
			return call(target, `${ACCOUNT}/extension-bulk-update/tasks/${taskId}`);
		}

		it('progresses Accepted -> InProgress -> Completed and only then applies the records', async () => {
			const created = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, { records });
			expectValidResponse('extensionBulkUpdate', created);
			expect(created.body).toMatchObject({ status: 'Accepted' });
			expect(created.body.uri).toBe(
				`${fake.url}/restapi/v1.0/account/400000001/extension-bulk-update/tasks/${created.body.id}`,
			);

			const inProgress = await pollTask(fake, created.body.id);
			expect(inProgress.body.status).toBe('InProgress');
			expect(fake.state.extensions[1].status).toBe('Enabled');

			const completed = await pollTask(fake, created.body.id);
			expectValidResponse('getExtensionBulkUpdateTask', completed);
			expect(completed.body.status).toBe('Completed');
			expect(completed.body.result.affectedItems.result).toEqual([
				{ extensionId: '100002', status: 'Success', errors: [] },
				{
					extensionId: '999999',
					status: 'Fail',
					errors: [
						expect.objectContaining({ errorCode: 'CMN-102', message: 'Extension not found' }),
					],
				},
				{
					extensionId: '100003',
					status: 'Fail',
					errors: [expect.objectContaining({ parameterName: 'contact.email' })],
				},
			]);
			expect(fake.state.extensions[1]).toMatchObject({
				status: 'Disabled',
				contact: { department: 'Legal', email: 'user2@example.com' },
			});
			expect((await pollTask(fake, created.body.id)).body).toEqual(completed.body);
		});

		it('can answer the legacy plain-array affectedItems', async () => {
			await withFake(
				{ affectedItemsShape: 'array', task: { completeAfterPolls: 1 } },
				async (legacy) => {
					const created = await postJson(legacy, `${ACCOUNT}/extension-bulk-update`, {
						records: records.slice(0, 1),
					});
					const completed = await pollTask(legacy, created.body.id);
					expect(completed.body.result.affectedItems).toEqual([
						{ extensionId: '100002', status: 'Success', errors: [] },
					]);
				},
			);
		});

		it('completes by the clock with completeAfterMs', async () => {
			await withFake({ task: { completeAfterMs: 100 } }, async (timed) => {
				const created = await postJson(timed, `${ACCOUNT}/extension-bulk-update`, {
					records: records.slice(0, 1),
				});
				expect((await pollTask(timed, created.body.id)).body.status).toBe('InProgress');
				await sleep(120);
				await call(timed, `${ACCOUNT}/templates`);
				expect(timed.state.extensions[1].status).toBe('Disabled');
				expect((await pollTask(timed, created.body.id)).body.status).toBe('Completed');
			});
		});

		it('fails the next task on demand without touching extensions', async () => {
			fake.failNextTask([{ errorCode: 'CMN-999', message: 'Boom' }]);
			const created = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, { records });
			await pollTask(fake, created.body.id);
			const failed = await pollTask(fake, created.body.id);
			expect(failed.body).toMatchObject({
				status: 'Failed',
				result: { errors: [{ errorCode: 'CMN-999', message: 'Boom' }] },
			});
			expect(fake.state.extensions[1].status).toBe('Enabled');

			const next = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, {
				records: records.slice(0, 1),
			});
			await pollTask(fake, next.body.id);
			expect((await pollTask(fake, next.body.id)).body.status).toBe('Completed');
		});

		it('answers 404 for an unknown task', async () => {
			const answer = await pollTask(fake, 'nope');
			expect(answer.status).toBe(404);
			expect(answer.body.errors[0].parameterName).toBe('taskId');
		});
	});

	describe('templates', () => {
		it('lists with a type filter and paging', async () => {
			const answer = await call(fake, `${ACCOUNT}/templates?type=UserSettings&perPage=2`);
			expectValidResponse('listUserTemplates', answer);
			expect(answer.body.records.map((t: { type: string }) => t.type)).toEqual([
				'UserSettings',
				'UserSettings',
			]);
			expect(answer.body.paging).toMatchObject({ totalElements: 3, totalPages: 2, perPage: 2 });
			expect(new URL(answer.body.navigation.nextPage.uri).searchParams.get('type')).toBe(
				'UserSettings',
			);
		});

		it('reads one, and 404s an unknown one', async () => {
			const found = await call(fake, `${ACCOUNT}/templates/300002`);
			expectValidResponse('readUserTemplate', found);
			expect(found.body).toMatchObject({ id: '300002', type: 'CallHandling' });
			const missing = await call(fake, `${ACCOUNT}/templates/1`);
			expect(missing.status).toBe(404);
			expect(missing.body.message).toBe('Resource for parameter [templateId] is not found');
		});
	});

	describe('authentication', () => {
		it('refuses requests without a valid bearer token', async () => {
			const answer = await call(fake, `${ACCOUNT}/templates`, {
				headers: { Authorization: 'Bearer wrong' },
			});
			expect(answer.status).toBe(401);
			expect(answer.body).toEqual({
				errorCode: 'TokenInvalid',
				message: 'Invalid token',
				errors: [{ errorCode: 'OAU-213', message: 'Token not found' }],
			});
		});

		it('issues tokens for a good JWT and expires them on demand', async () => {
			const token = await jwtToken(fake);
			expect(token.status).toBe(200);
			expect(token.body).toMatchObject({
				token_type: 'bearer',
				expires_in: 3600,
				owner_id: '100001',
			});
			const authorization = { Authorization: `Bearer ${token.body.access_token}` };
			expect((await call(fake, `${ACCOUNT}/templates`, { headers: authorization })).status).toBe(
				200,
			);

			fake.expireAllTokens();
			const expired = await call(fake, `${ACCOUNT}/templates`, { headers: authorization });
			expect(expired.status).toBe(401);
			expect(expired.body.errors[0]).toEqual({ errorCode: 'OAU-213', message: 'Token expired' });
			expect((await call(fake, `${ACCOUNT}/templates`)).status).toBe(200);

			const renewed = await requestToken(fake, {
				grant_type: 'refresh_token',
				refresh_token: token.body.refresh_token,
			});
			expect(renewed.status).toBe(200);
			const reused = await requestToken(fake, {
				grant_type: 'refresh_token',
				refresh_token: token.body.refresh_token,
			});
			expect(reused.body.error).toBe('invalid_grant');
		});

		it('expires tokens after tokenLifetimeSeconds', async () => {
			await withFake({ tokenLifetimeSeconds: 0.05 }, async (shortLived) => {
				const token = await jwtToken(shortLived);
				await sleep(60);
				const answer = await call(shortLived, `${ACCOUNT}/templates`, {
					headers: { Authorization: `Bearer ${token.body.access_token}` },
				});
				expect(answer.status).toBe(401);
			});
		});

		it('refuses a bad JWT and a bad client secret like RingCentral', async () => {
			const badJwt = await jwtToken(fake, 'forged');
			expect(badJwt.status).toBe(400);
			expect(badJwt.body).toMatchObject({
				error: 'invalid_grant',
				errorCode: 'OAU-140',
				error_description: 'Invalid resource owner credentials',
			});
			const badSecret = await requestToken(
				fake,
				{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'test-jwt' },
				{ Authorization: `Basic ${Buffer.from('test-client-id:nope').toString('base64')}` },
			);
			expect(badSecret.status).toBe(401);
			expect(badSecret.body).toMatchObject({
				error: 'invalid_client',
				errorCode: 'OAU-123',
				error_description: 'Invalid client: test-client-id',
			});
			expect(fake.requestsFor('oauthToken').map((r) => r.status)).toEqual([400, 401]);
		});

		it('runs the authorization-code flow', async () => {
			const redirectUri = 'http://localhost:5678/rest/oauth2-credential/callback';
			const authorize = await call(
				fake,
				`/restapi/oauth/authorize?response_type=code&client_id=test-client-id&redirect_uri=${encodeURIComponent(redirectUri)}&state=xyz`,
			);
			expect(authorize.status).toBe(302);
			const location = new URL(authorize.headers.get('location') as string);
			expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
			expect(location.searchParams.get('state')).toBe('xyz');
			const code = location.searchParams.get('code') as string;

			const wrongRedirect = await requestToken(fake, {
				grant_type: 'authorization_code',
				code,
				redirect_uri: 'http://evil',
			});
			expect(wrongRedirect.status).toBe(400);
			const token = await requestToken(fake, {
				grant_type: 'authorization_code',
				code,
				redirect_uri: redirectUri,
			});
			expect(token.status).toBe(200);
			expect(token.body.access_token).toEqual(expect.any(String));
		});
	});

	describe('faults', () => {
		it('answers an injected status once, then normally', async () => {
			fake.injectFault({
				kind: 'status',
				status: 503,
				match: { operationId: 'listUserTemplates' },
			});
			const failed = await call(fake, `${ACCOUNT}/templates`);
			expect(failed.status).toBe(503);
			expect(failed.body.errorCode).toEqual(expect.any(String));
			expect((await call(fake, `${ACCOUNT}/templates`)).status).toBe(200);
		});

		it('answers a 429 with the given headers, n times, matched by method and path', async () => {
			fake.injectFault({
				kind: 'status',
				status: 429,
				headers: { 'Retry-After': '1' },
				match: { method: 'get', path: /\/templates$/ },
				times: 2,
			});
			expect((await call(fake, `${ACCOUNT}/extension`)).status).toBe(200);
			const limited = await call(fake, `${ACCOUNT}/templates`);
			expect(limited).toMatchObject({ status: 429, body: { errorCode: 'CMN-301' } });
			expect(limited.headers.get('retry-after')).toBe('1');
			expect((await call(fake, `${ACCOUNT}/templates`)).status).toBe(429);
			expect((await call(fake, `${ACCOUNT}/templates`)).status).toBe(200);
		});

		it('drops the connection', async () => {
			fake.injectFault({ kind: 'drop' });
			await expect(call(fake, `${ACCOUNT}/templates`)).rejects.toThrow();
			expect(fake.requests[0].status).toBe(0);
		});

		it('delays the answer', async () => {
			fake.injectFault({ kind: 'delay', ms: 150 });
			const started = Date.now();
			expect((await call(fake, `${ACCOUNT}/templates`)).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		});

		it('drops the connection after creating the extension', async () => {
			fake.injectFault({ kind: 'dropAfterProcessing', match: { operationId: 'createExtension' } });
			await expect(
				postJson(fake, `${ACCOUNT}/extension`, {
					contact: { firstName: 'Once', email: 'once@example.com' },
				}),
			).rejects.toThrow();
			expect(fake.state.extensions.at(-1)?.contact.email).toBe('once@example.com');
			expect(fake.requestsFor('createExtension')).toHaveLength(1);
		});

		it('creates the extension, then cuts its answer off mid-body', async () => {
			fake.injectFault({
				kind: 'truncateAfterProcessing',
				match: { operationId: 'createExtension' },
			});
			await expect(
				postJson(fake, `${ACCOUNT}/extension`, {
					contact: { firstName: 'Half', email: 'half@example.com' },
				}),
			).rejects.toThrow();
			expect(fake.state.extensions.at(-1)?.contact.email).toBe('half@example.com');
			expect(fake.requestsFor('createExtension')[0].status).toBe(200);
		});

		it('redirects instead of answering', async () => {
			fake.injectFault({ kind: 'redirect', status: 302, location: 'https://elsewhere.test/x' });
			const answer = await call(fake, `${ACCOUNT}/templates`);
			expect(answer.status).toBe(302);
			expect(answer.headers.get('location')).toBe('https://elsewhere.test/x');
			expect(fake.requests[0].status).toBe(302);
		});

		it('answers raw text, as a proxy would', async () => {
			fake.injectFault({ kind: 'raw', status: 200, body: '<html>portal</html>' });
			const response = await fetch(`${fake.url}${ACCOUNT}/templates`, { headers: BEARER });
			expect(response.headers.get('content-type')).toBe('text/html');
			expect(await response.text()).toBe('<html>portal</html>');
		});

		it('lets `after` matching requests through first', async () => {
			fake.injectFault({
				kind: 'status',
				status: 500,
				after: 2,
				match: { operationId: 'readUserTemplate' },
			});
			const statuses = [];
			for (let i = 0; i < 4; i++)
				statuses.push((await call(fake, `${ACCOUNT}/templates/300001`)).status);
			expect(statuses).toEqual([200, 200, 500, 200]);
		});
	});

	describe('admin endpoints', () => {
		it('expose the log and violations, take faults, expire tokens and reset', async () => {
			await call(fake, `${ACCOUNT}/extension?status=Bogus`);
			const admin = (path: string, init?: RequestInit) =>
				call(`${fake.url}/__admin/${path}`, '', init);

			const requests = await admin('requests');
			expect(requests.body).toHaveLength(1);
			expect(requests.body[0]).toMatchObject({
				method: 'GET',
				operationId: 'listExtensions',
				status: 400,
			});
			expect((await admin('violations')).body).toHaveLength(1);

			await admin('faults', {
				method: 'POST',
				body: JSON.stringify({ kind: 'status', status: 502, match: { path: 'templates$' } }),
			});
			expect((await call(fake, `${ACCOUNT}/templates`)).status).toBe(502);
			const pair = [
				{ kind: 'status', status: 504, match: { operationId: 'readUserTemplate' } },
				{ kind: 'drop', match: { operationId: 'readUserTemplate' } },
			];
			await admin('faults', { method: 'POST', body: JSON.stringify(pair) });
			expect((await call(fake, `${ACCOUNT}/templates/300001`)).status).toBe(504);
			await expect(call(fake, `${ACCOUNT}/templates/300001`)).rejects.toThrow();
			const bad = await admin('faults', { method: 'POST', body: JSON.stringify({ kind: 'nope' }) });
			expect(bad.status).toBe(400);

			const token = await jwtToken(fake);
			await admin('expire-tokens', { method: 'POST' });
			const expired = await call(fake, `${ACCOUNT}/templates`, {
				headers: { Authorization: `Bearer ${token.body.access_token}` },
			});
			expect(expired.status).toBe(401);

			await admin('reset', { method: 'POST' });
			expect(fake.requests).toEqual([]);
			expect(fake.violations).toEqual([]);
			expect((await admin('bogus')).status).toBe(404);
			expect(fake.requests).toEqual([]);
		});

		it('fail the next task and show the state', async () => {
			const admin = (path: string, init?: RequestInit) =>
				call(`${fake.url}/__admin/${path}`, '', init);
			await admin('fail-next-task', {
				method: 'POST',
				body: JSON.stringify({ errors: [{ errorCode: 'X-1', message: 'no' }] }),
			});
			const task = await postJson(fake, `${ACCOUNT}/extension-bulk-update`, {
				records: [{ id: '100001' }],
			});
			for (let poll = 0; poll < 2; poll++) {
				await call(fake, `${ACCOUNT}/extension-bulk-update/tasks/${task.body.id}`);
			}
			const { body: state } = await admin('state');
			expect(state.extensions).toHaveLength(25);
			expect(state.templates).toHaveLength(5);
			expect(state.tasks[0].resource).toMatchObject({
				id: task.body.id,
				status: 'Failed',
				result: { errors: [{ errorCode: 'X-1' }] },
			});

			await admin('reset', { method: 'POST', body: JSON.stringify({ state: true }) });
			expect(fake.state.tasks.size).toBe(0);
		});
	});
});

describe('rate limits', () => {
	const tiny = {
		windowSeconds: 0.3,
		penaltySeconds: 0.3,
		limits: { Light: 2, Medium: 2, Heavy: 1, Auth: 1 },
	};

	it('counts per group, answers 429 with Retry-After, and restarts the penalty on every request', async () => {
		await withFake({ rateLimits: tiny }, async (fake) => {
			const templates = () => call(fake, `${ACCOUNT}/templates`);
			const first = await templates();
			expect(
				Object.fromEntries([...first.headers].filter(([name]) => name.startsWith('x-rate-limit'))),
			).toEqual({
				'x-rate-limit-group': 'Medium',
				'x-rate-limit-limit': '2',
				'x-rate-limit-remaining': '1',
				'x-rate-limit-window': '1',
			});
			expect((await templates()).headers.get('x-rate-limit-remaining')).toBe('0');
			const limited = await templates();
			expect(limited).toMatchObject({
				status: 429,
				body: { errorCode: 'CMN-301', message: 'Request rate exceeded' },
			});
			expect(limited.headers.get('retry-after')).toBe('1');
			// Another group is not affected.
			expect((await call(fake, `${ACCOUNT}/templates/300001`)).status).toBe(200);

			await sleep(200);
			expect((await templates()).status).toBe(429);
			await sleep(200);
			expect((await templates()).status).toBe(429);
			await sleep(320);
			expect((await templates()).status).toBe(200);
		});
	});

	it('limits the token endpoint in the Auth group and can omit headers and Retry-After', async () => {
		await withFake({ rateLimits: { ...tiny, headers: false, retryAfter: false } }, async (fake) => {
			expect((await jwtToken(fake)).status).toBe(200);
			const limited = await jwtToken(fake);
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBeNull();
			expect(limited.headers.get('x-rate-limit-group')).toBeNull();
			expect(fake.requestsFor('oauthToken').map((r) => r.group)).toEqual(['Auth', 'Auth']);
		});
	});
});
