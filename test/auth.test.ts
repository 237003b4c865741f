import { Logger } from '@n8n/backend-common';
import { LoggerProxy, type INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral, JwtCredentials, RecordedRequest } from './fake-server';
import { runNode, TestCredentialsHelper, type RunNodeResult, type TestCredential } from './harness';
import { connectedOAuth2 } from './harness/oAuth2Connect';
import { wireSecrets } from './support/secrets';
import { accessTokenCredential, jwtCredential, useFakeRingCentral } from './support/setup';

const LIST_ALL: INodeParameters = { resource: 'extension', operation: 'getAll', returnAll: true };
const LIST_TEMPLATES: INodeParameters = {
	resource: 'userTemplate',
	operation: 'getAll',
	returnAll: true,
};
const CREATE: INodeParameters = {
	resource: 'extension',
	operation: 'create',
	firstName: 'Ada',
	email: 'ada@example.com',
};

/** Distinctive secrets, so that finding one anywhere cannot be a coincidence. */
const APP: JwtCredentials = {
	clientId: 'app-client-id-4711',
	clientSecret: 'client-secret-Zx81QmB07',
	assertion: 'eyJhbGciOiJSUzI1NiJ9.jwt-payload-Kq93.jwt-signature-Vn27',
};
const STATIC_ACCESS_TOKEN = 'static-access-token-Lw52Rt';

function jwtFor(server: FakeRingCentral, overrides: Record<string, string> = {}): TestCredential {
	return jwtCredential(server, {
		clientId: APP.clientId,
		clientSecret: APP.clientSecret,
		jwt: APP.assertion,
		...overrides,
	});
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const tokenRequests = (server: FakeRingCentral) => server.requestsFor('oauthToken');
const bearerOf = (request: RecordedRequest) =>
	String(request.headers.authorization).replace(/^Bearer /, '');
const formOf = (request: RecordedRequest) => request.body as Record<string, string>;

function configuredSecrets(credential: TestCredential): string[] {
	const { clientId, clientSecret, jwt, accessToken } = credential.data as Record<
		string,
		string | undefined
	>;
	const secrets = [clientSecret, jwt, accessToken].filter((value): value is string => !!value);
	if (clientId && clientSecret)
		secrets.push(Buffer.from(`${clientId}:${clientSecret}`).toString('base64'));
	return secrets;
}

/**
 * Every string reachable from a value, through non-enumerable properties too (an error's
 * `cause`, an axios error's `config`), so that a serializer n8n may use later cannot find more.
 */
function reachableStrings(value: unknown, seen = new Set<unknown>(), depth = 0): string[] {
	if (typeof value === 'string') return [value];
	if (value === null || typeof value !== 'object' || seen.has(value) || depth > 12) return [];
	seen.add(value);
	return Object.getOwnPropertyNames(value).flatMap((key) => {
		const property = Object.getOwnPropertyDescriptor(value, key);
		return property && 'value' in property ? reachableStrings(property.value, seen, depth + 1) : [];
	});
}

/** What a user, a log or a later node could see of a run: its whole run data, error included. */
function visibleText(result: RunNodeResult): string[] {
	return [
		JSON.stringify(result.run),
		JSON.stringify(result.items),
		result.error?.message ?? '',
		String(result.error?.description ?? ''),
		...reachableStrings(result.error),
		...reachableStrings(result.run.data.resultData.runData),
	];
}

function expectNoSecrets(result: RunNodeResult, secrets: string[]): void {
	const texts = visibleText(result);
	expect(secrets.length).toBeGreaterThan(0);
	for (const secret of secrets) {
		for (const text of texts) expect(text).not.toContain(secret);
	}
}

describe('JWT credential', () => {
	describe('over several pages', () => {
		const fake = useFakeRingCentral({ seedExtensions: 2100, jwt: APP });

		test('fetches one token for a Return All over several pages, and the next execution reuses it', async () => {
			const { server } = fake;
			const first = await runNode({ credential: jwtFor(server), parameters: LIST_ALL });
			expect(first.error).toBeUndefined();
			expect(first.items).toHaveLength(2100);
			const pages = server.requestsFor('listExtensions');
			expect(pages.length).toBeGreaterThanOrEqual(3);
			expect(tokenRequests(server)).toHaveLength(1);

			const [tokenRequest] = tokenRequests(server);
			expect(tokenRequest.headers.authorization).toBe(
				`Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`,
			);
			expect(formOf(tokenRequest)).toEqual({
				grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
				assertion: APP.assertion,
			});
			const token = bearerOf(pages[0]);
			expect(pages.map(bearerOf)).toEqual(pages.map(() => token));
			expect(first.credentialsHelper.store.get('cred-ringCentralJwtApi')?.data.accessToken).toBe(
				token,
			);

			const second = await runNode({
				credential: jwtFor(server),
				credentialsHelper: first.credentialsHelper,
				parameters: LIST_TEMPLATES,
			});
			expect(second.error).toBeUndefined();
			expect(second.items.length).toBeGreaterThan(0);
			expect(tokenRequests(server)).toHaveLength(1);
			expect(server.requestsFor('listUserTemplates').map(bearerOf)).toEqual([token]);
		});
	});

	describe('with tokens that expire after a second', () => {
		const fake = useFakeRingCentral({ seedExtensions: 1500, jwt: APP, tokenLifetimeSeconds: 1 });

		test('renews a token that expires between two pages with exactly one more token request, and finishes', async () => {
			const { server } = fake;
			// The second page arrives after the token's one-second life.
			server.injectFault({
				kind: 'delay',
				ms: 1100,
				after: 1,
				match: { operationId: 'listExtensions' },
			});
			const result = await runNode({ credential: jwtFor(server), parameters: LIST_ALL });

			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(1500);
			expect(tokenRequests(server)).toHaveLength(2);
			const pages = server.requestsFor('listExtensions');
			expect(pages.map((page) => [page.query.page?.[0], page.status])).toEqual([
				['1', 200],
				['2', 401],
				['2', 200],
			]);
			expect(bearerOf(pages[2])).not.toBe(bearerOf(pages[0]));
			expect(result.credentialsHelper.store.get('cred-ringCentralJwtApi')?.data.accessToken).toBe(
				bearerOf(pages[2]),
			);
		});
	});

	describe('against RingCentral', () => {
		const fake = useFakeRingCentral({ seedExtensions: 5, jwt: APP });

		test('renews a token that expired between executions, once, and the run goes on', async () => {
			const { server } = fake;
			const first = await runNode({ credential: jwtFor(server), parameters: LIST_ALL });
			expect(first.error).toBeUndefined();
			server.expireAllTokens();

			const second = await runNode({
				credential: jwtFor(server),
				credentialsHelper: first.credentialsHelper,
				parameters: LIST_ALL,
			});
			expect(second.error).toBeUndefined();
			expect(second.items).toHaveLength(5);
			expect(tokenRequests(server)).toHaveLength(2);
			expect(server.requestsFor('listExtensions').map((request) => request.status)).toEqual([
				200, 401, 200,
			]);
		});

		test("a wrong JWT stops the run with RingCentral's reason and what to check, before any API call", async () => {
			const { server } = fake;
			const result = await runNode({
				credential: jwtFor(server, { jwt: 'not-the-jwt-Pq31' }),
				parameters: LIST_ALL,
			});
			expect(result.error?.message).toBe(
				'RingCentral refused the JWT credential (HTTP 400, invalid_grant OAU-140): Invalid resource owner credentials. ' +
					'Check the JWT: it may be mistyped, expired or revoked, or not allowed for this app (in the Developer Console, under your name, Credentials).',
			);
			expect(server.requestsFor('listExtensions')).toHaveLength(0);
			expect(tokenRequests(server)).toHaveLength(1);
		});

		test('a wrong client secret names the client ID and secret as what to check', async () => {
			const { server } = fake;
			const result = await runNode({
				credential: jwtFor(server, { clientSecret: 'wrong-secret-Hd44' }),
				parameters: LIST_ALL,
			});
			expect(result.error?.message).toContain(
				'RingCentral refused the JWT credential (HTTP 401, invalid_client OAU-123)',
			);
			expect(result.error?.message).toContain('Check the client ID and client secret');
			expect(server.requestsFor('listExtensions')).toHaveLength(0);
		});

		test('a JWT revoked after a token was saved: the stale token is renewed once, then the refusal is shown', async () => {
			const { server } = fake;
			const first = await runNode({ credential: jwtFor(server), parameters: LIST_ALL });
			expect(first.error).toBeUndefined();
			server.expireAllTokens();
			const stored = first.credentialsHelper.store.get('cred-ringCentralJwtApi');
			if (stored) stored.data.jwt = 'revoked-jwt-Yt62';

			const second = await runNode({
				credential: jwtFor(server),
				credentialsHelper: first.credentialsHelper,
				parameters: LIST_ALL,
			});
			expect(second.error?.message).toContain('invalid_grant OAU-140');
			expect(second.error?.message).toContain('Check the JWT');
			expect(server.requestsFor('listExtensions').map((request) => request.status)).toEqual([
				200, 401,
			]);
			expect(tokenRequests(server).map((request) => request.status)).toEqual([200, 400]);
		});

		test('a broken connection to the token endpoint is named as such: the create was never sent, so nothing may have been created', async () => {
			const { server } = fake;
			server.injectFault({ kind: 'drop', match: { operationId: 'oauthToken' } });
			const result = await runNode({ credential: jwtFor(server), parameters: CREATE });
			expect(result.error?.message).toBe(
				`Could not reach RingCentral's token endpoint ${server.url}/restapi/oauth/token to get an access token: the connection was closed. Check the environment and server URL, or try again later.`,
			);
			expect(`${result.error?.message} ${result.error?.description ?? ''}`).not.toMatch(
				/may have/i,
			);
			expect(server.requestsFor('createExtension')).toHaveLength(0);
		});

		test.each([
			[
				429,
				'Its token endpoint allows only a few requests a minute per app and user; wait a minute',
			],
			[503, 'RingCentral could not issue an access token (HTTP 503'],
		])(
			'a token endpoint answering %i says so, not "check your secret"',
			async (status, expected) => {
				const { server } = fake;
				// A 429 whose Retry-After is past the wait timeout is not waited for.
				const headers = status === 429 ? { 'Retry-After': '3600' } : undefined;
				server.injectFault({
					kind: 'status',
					status,
					headers,
					match: { operationId: 'oauthToken' },
				});
				const result = await runNode({ credential: jwtFor(server), parameters: LIST_ALL });
				expect(result.error?.message).toContain(expected);
				expect(result.error?.message).not.toContain('Check the client ID');
			},
		);

		test('a token request refused with 429 is paced like any other group: waited out, then sent again', async () => {
			const { server } = fake;
			server.injectFault({
				kind: 'status',
				status: 429,
				headers: { 'Retry-After': '1' },
				match: { operationId: 'oauthToken' },
			});
			const result = await runNode({ credential: jwtFor(server), parameters: LIST_ALL });
			expect(result.error).toBeUndefined();
			expect(tokenRequests(server).map((request) => request.status)).toEqual([429, 200]);
		});
	});
});

describe('access token credential', () => {
	const fake = useFakeRingCentral({ seedExtensions: 3, accessToken: STATIC_ACCESS_TOKEN });

	test('the default way in: the token goes out as a Bearer header', async () => {
		const { server } = fake;
		const result = await runNode({
			credential: accessTokenCredential(server, STATIC_ACCESS_TOKEN),
			parameters: LIST_ALL,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			`Bearer ${STATIC_ACCESS_TOKEN}`,
		]);
	});

	test("an expired or wrong token gives RingCentral's error and tells the user what to do", async () => {
		const { server } = fake;
		const result = await runNode({
			credential: accessTokenCredential(server, 'expired-token-Wc19'),
			parameters: LIST_ALL,
		});
		expect(result.error?.message).toContain('TokenInvalid');
		expect(result.error?.message).toContain('HTTP 401');
		expect(result.error?.description).toContain('OAU-213 Token not found');
		expect(result.error?.description).toMatch(/paste a new (access )?token/i);
		expect(result.error?.description).toContain('JWT');
		expect(tokenRequests(server)).toHaveLength(0);
		// A pasted token cannot be renewed, so the refused request is not sent a second time.
		expect(server.requestsFor('listExtensions').map((request) => request.status)).toEqual([401]);
	});
});

describe('OAuth2 credential', () => {
	const fake = useFakeRingCentral({ seedExtensions: 4, jwt: APP });

	// A server URL with a trailing slash, as users paste it.
	const connected = (server: FakeRingCentral) => connectedOAuth2(`${server.url}/`, APP);

	test('runs an operation with the token of the authorization-code flow', async () => {
		const { server } = fake;
		const { credentialsHelper, credential, oauthTokenData } = await connected(server);
		expect(server.requestsFor('oauthAuthorize')).toHaveLength(1);
		expect(formOf(tokenRequests(server)[0]).grant_type).toBe('authorization_code');

		const result = await runNode({ credential, credentialsHelper, parameters: LIST_ALL });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(server.requestsFor('listExtensions').map(bearerOf)).toEqual([
			oauthTokenData.access_token,
		]);
		expect(tokenRequests(server)).toHaveLength(1);
	});

	test('an expired access token is refreshed with the refresh token (client credentials in the header) and the request retried', async () => {
		const { server } = fake;
		const { credentialsHelper, credential, oauthTokenData } = await connected(server);
		server.expireAllTokens();

		const result = await runNode({ credential, credentialsHelper, parameters: LIST_ALL });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		const refresh = tokenRequests(server)[1];
		expect(formOf(refresh)).toMatchObject({
			grant_type: 'refresh_token',
			refresh_token: oauthTokenData.refresh_token,
		});
		expect(refresh.headers.authorization).toBe(
			`Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`,
		);
		const calls = server.requestsFor('listExtensions');
		expect(calls.map((call) => call.status)).toEqual([401, 200]);
		const saved = credentialsHelper.store.get('oauth2')?.data.oauthTokenData as Record<
			string,
			string
		>;
		expect(saved.access_token).toBe(bearerOf(calls[1]));
		expect(saved.refresh_token).not.toBe(oauthTokenData.refresh_token);
	});

	test("a client secret changed since connecting: the refresh is refused once, with RingCentral's reason, and not retried", async () => {
		const { server } = fake;
		const { credentialsHelper, credential } = await connected(server);
		const stored = credentialsHelper.store.get('oauth2');
		if (stored) stored.data.clientSecret = 'rotated-secret-Fb35';
		server.expireAllTokens();

		const result = await runNode({ credential, credentialsHelper, parameters: LIST_ALL });
		expect(result.error?.message).toBe(
			`RingCentral refused to renew the OAuth2 access token (invalid_client OAU-123): Invalid client: ${APP.clientId}. Check the credential's client ID and client secret, then reconnect it.`,
		);
		expect(tokenRequests(server).map((request) => request.status)).toEqual([200, 401]);
		expect(server.requestsFor('listExtensions')).toHaveLength(1);
	});

	test('a revoked refresh token asks the user to reconnect the credential', async () => {
		const { server } = fake;
		const { credentialsHelper, credential } = await connected(server);
		server.expireAllTokens();
		server.revokeRefreshTokens();

		const result = await runNode({ credential, credentialsHelper, parameters: LIST_ALL });
		expect(result.error?.message).toContain('needs to be reconnected');
		expect(tokenRequests(server).map((request) => request.status)).toEqual([200, 400]);
	});
});

describe('the authentication parameter', () => {
	const fake = useFakeRingCentral({ seedTemplates: 2, jwt: APP, accessToken: STATIC_ACCESS_TOKEN });

	test('picks the credential type: accessToken, jwt and oAuth2 each sign the same request their own way', async () => {
		const { server } = fake;
		const oAuth2 = await connectedOAuth2(server.url, APP);
		const { oauthTokenData } = oAuth2;
		const runs: Array<[string, TestCredential, TestCredentialsHelper | undefined]> = [
			['accessToken', accessTokenCredential(server, STATIC_ACCESS_TOKEN), undefined],
			['jwt', jwtFor(server), undefined],
			['oAuth2', oAuth2.credential, oAuth2.credentialsHelper],
		];
		for (const [authentication, credential, credentialsHelper] of runs) {
			const result = await runNode({
				credential,
				credentialsHelper,
				parameters: { ...LIST_TEMPLATES, authentication },
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(2);
		}
		const jwtToken = tokenRequests(server).find(
			(request) => formOf(request).grant_type !== 'authorization_code',
		);
		expect(jwtToken && formOf(jwtToken).assertion).toBe(APP.assertion);
		expect(server.requestsFor('listUserTemplates').map(bearerOf)).toEqual([
			STATIC_ACCESS_TOKEN,
			expect.stringMatching(/^access-/),
			oauthTokenData.access_token,
		]);
		const [, jwtBearer, oauthBearer] = server.requestsFor('listUserTemplates').map(bearerOf);
		expect(jwtBearer).not.toBe(oauthBearer);
	});
});

describe('secrets never leak', () => {
	const fake = useFakeRingCentral({
		seedExtensions: 3,
		jwt: APP,
		accessToken: STATIC_ACCESS_TOKEN,
	});

	/**
	 * Everything n8n logs while the node runs: n8n-core's logger (kept from reaching winston,
	 * whose console output jest may hold elsewhere) and n8n-workflow's LoggerProxy, message
	 * and metadata (errors included) alike.
	 */
	let logged: unknown[] = [];
	let logSpy: jest.SpyInstance | undefined;
	beforeEach(() => {
		logged = [];
		const capture = (...entry: unknown[]) => void logged.push(entry);
		const loggerPrototype = Logger.prototype as unknown as { log: (...args: unknown[]) => void };
		logSpy = jest.spyOn(loggerPrototype, 'log').mockImplementation(capture);
		LoggerProxy.init({ error: capture, warn: capture, info: capture, debug: capture });
	});
	afterEach(() => logSpy?.mockRestore());

	const loggedText = () =>
		[JSON.stringify(logged.map(String)), ...reachableStrings(logged)].join('\n');

	function expectNothingLeaked(result: RunNodeResult, secrets: string[]): void {
		expectNoSecrets(result, secrets);
		expect(loggedText()).not.toMatch(new RegExp(secrets.map(escapeRegExp).join('|')));
	}

	test("the check finds a secret held in an error's cause, as an axios error holds its request", () => {
		const error = new Error('Request failed', {
			cause: Object.assign(new Error('inner'), {
				config: { auth: { password: APP.clientSecret } },
			}),
		});
		expect(reachableStrings(error)).toContain(APP.clientSecret);
	});

	const scenarios: Array<{
		name: string;
		credential: (server: FakeRingCentral) => TestCredential;
		parameters: INodeParameters;
		arrange?: (server: FakeRingCentral) => void;
	}> = [
		{
			name: 'the API refuses the access token (401)',
			credential: (server) => accessTokenCredential(server, 'refused-token-Qa08'),
			parameters: LIST_ALL,
		},
		{
			name: 'the API refuses a request made with a JWT token (400)',
			credential: (server) => jwtFor(server),
			parameters: CREATE,
			arrange: (server) =>
				server.injectFault({
					kind: 'status',
					status: 400,
					match: { operationId: 'createExtension' },
				}),
		},
		{
			name: 'the API fails with a server error after the JWT token was fetched',
			credential: (server) => jwtFor(server),
			parameters: CREATE,
			arrange: (server) =>
				server.injectFault({
					kind: 'status',
					status: 500,
					match: { operationId: 'createExtension' },
				}),
		},
		{
			name: 'the token endpoint refuses the client secret',
			credential: (server) => jwtFor(server, { clientSecret: 'wrong-secret-Hd44' }),
			parameters: LIST_ALL,
		},
		{
			name: 'the token endpoint refuses the JWT',
			credential: (server) => jwtFor(server, { jwt: 'wrong-jwt-Uc72' }),
			parameters: LIST_ALL,
		},
		{
			name: 'the connection to the token endpoint breaks',
			credential: (server) => jwtFor(server),
			parameters: CREATE,
			arrange: (server) =>
				server.injectFault({ kind: 'drop', match: { operationId: 'oauthToken' } }),
		},
		{
			name: 'the connection to the API breaks after the JWT token was fetched',
			credential: (server) => jwtFor(server),
			parameters: CREATE,
			arrange: (server) =>
				server.injectFault({ kind: 'drop', match: { operationId: 'createExtension' } }),
		},
		{
			name: 'nothing answers at the server URL',
			credential: () =>
				jwtCredential({ url: 'http://127.0.0.1:9' } as FakeRingCentral, {
					clientId: APP.clientId,
					clientSecret: APP.clientSecret,
					jwt: APP.assertion,
				}),
			parameters: CREATE,
		},
	];

	describe.each([false, true])('with Continue On Fail %s', (continueOnFail) => {
		test.each(scenarios)('when $name', async ({ credential, parameters, arrange }) => {
			const { server } = fake;
			arrange?.(server);
			const testCredential = credential(server);
			const result = await runNode({ credential: testCredential, parameters, continueOnFail });

			if (continueOnFail) {
				expect(result.error).toBeUndefined();
				expect(result.items).toHaveLength(1);
				expect(typeof result.items[0].json.error).toBe('string');
			} else {
				expect(result.error?.message).toBeTruthy();
				// n8n logs the failure: the capture above does see its log lines.
				expect(loggedText()).toContain(result.error?.message);
			}
			expectNothingLeaked(result, [
				...configuredSecrets(testCredential),
				...wireSecrets(server),
				APP.clientSecret,
				APP.assertion,
			]);
		});
	});

	test('when an OAuth2 refresh token is revoked', async () => {
		const { server } = fake;
		const { credential, credentialsHelper, oauthTokenData } = await connectedOAuth2(
			server.url,
			APP,
		);
		server.expireAllTokens();
		server.revokeRefreshTokens();

		const result = await runNode({ credential, credentialsHelper, parameters: LIST_ALL });
		expect(result.error?.message).toBeTruthy();
		expectNothingLeaked(result, [
			...wireSecrets(server),
			APP.clientSecret,
			String(oauthTokenData.access_token),
			String(oauthTokenData.refresh_token),
		]);
	});
});
