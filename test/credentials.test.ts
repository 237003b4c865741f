import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeParameters,
	type INodeTypes,
} from 'n8n-workflow';

import { RingCentralExtensions } from '../nodes/RingCentralExtensions/RingCentralExtensions.node';
import type { FakeRingCentral, JwtCredentials } from './fake-server';
import { credentialTypes, TestCredentialsHelper } from './harness';
import { testCredential } from './harness/credentialTest';
import { connectOAuth2, N8N_OAUTH2_CALLBACK } from './harness/oAuth2Connect';
import { useFakeRingCentral } from './support/setup';

const APP: JwtCredentials = {
	clientId: 'app-client-id',
	clientSecret: 'app-client-secret',
	assertion: 'app-user-jwt',
};
const PRODUCTION = 'https://platform.ringcentral.com';
const SANDBOX = 'https://platform.devtest.ringcentral.com';
const TEST_PATH = '/restapi/v1.0/account/~/extension/~';

const ENVIRONMENTS: Array<[string, ICredentialDataDecryptedObject, string]> = [
	[
		'production',
		{ environment: 'production', serverUrl: 'https://ignored.example.com' },
		PRODUCTION,
	],
	['sandbox', { environment: 'sandbox' }, SANDBOX],
	[
		'custom, with trailing slashes and spaces',
		{ environment: 'custom', serverUrl: ' https://rc-proxy.example.com/gateway// ' },
		'https://rc-proxy.example.com/gateway',
	],
	[
		'custom, the segregated platform',
		{ environment: 'custom', serverUrl: 'https://platform.ringcentral.biz' },
		'https://platform.ringcentral.biz',
	],
];

const NO_NODE_TYPES: INodeTypes = {
	getByName: () => undefined as never,
	getByNameAndVersion: () => undefined as never,
	getKnownTypes: () => ({}),
};

/** Resolves a request field the way n8n-core's RoutingNode does, with `$credentials` bound. */
function resolveWithCredentials(
	expression: string,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	const node: INode = {
		id: 'n',
		name: 'Test',
		type: 'test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: NO_NODE_TYPES,
	});
	return workflow.expression.getSimpleParameterValue(
		node,
		expression,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
}

describe('credential definitions (the public contract)', () => {
	const propertyNames = (type: string) =>
		credentialTypes[type].properties.map((property) => property.name);

	test("each credential has the contract's name and fields, secrets as password fields", () => {
		expect(Object.keys(credentialTypes).sort()).toEqual([
			'ringCentralAccessTokenApi',
			'ringCentralJwtApi',
			'ringCentralOAuth2Api',
		]);
		expect(propertyNames('ringCentralAccessTokenApi')).toEqual([
			'environment',
			'serverUrl',
			'accessToken',
		]);
		expect(propertyNames('ringCentralJwtApi')).toEqual([
			'environment',
			'serverUrl',
			'clientId',
			'clientSecret',
			'jwt',
			'accessToken',
		]);
		expect(propertyNames('ringCentralOAuth2Api')).toEqual(
			expect.arrayContaining(['environment', 'serverUrl']),
		);
		for (const [type, secret] of [
			['ringCentralAccessTokenApi', 'accessToken'],
			['ringCentralJwtApi', 'clientSecret'],
			['ringCentralJwtApi', 'jwt'],
		]) {
			expect(
				credentialTypes[type].properties.find((property) => property.name === secret)?.typeOptions
					?.password,
			).toBe(true);
		}
	});

	test('the JWT credential keeps its access token in a hidden, expirable field', () => {
		const token = credentialTypes.ringCentralJwtApi.properties.find(
			(property) => property.name === 'accessToken',
		);
		expect(token).toMatchObject({
			type: 'hidden',
			default: '',
			typeOptions: { expirable: true, password: true },
		});
		expect(typeof credentialTypes.ringCentralJwtApi.preAuthentication).toBe('function');
	});

	test('the environment defaults to production; the server URL is asked for, and required, only with a custom server', () => {
		for (const type of Object.values(credentialTypes)) {
			const [environment, serverUrl] = type.properties;
			expect(environment).toMatchObject({ name: 'environment', default: 'production' });
			expect(environment.options?.map((option) => (option as { value: string }).value)).toEqual([
				'production',
				'sandbox',
				'custom',
			]);
			expect(serverUrl).toMatchObject({
				name: 'serverUrl',
				required: true,
				displayOptions: { show: { environment: ['custom'] } },
			});
		}
	});

	test('the node picks its credential by the authentication parameter, access token by default', () => {
		const { properties, credentials } = new RingCentralExtensions().description;
		const authentication = properties.find((property) => property.name === 'authentication');
		expect(authentication?.default).toBe('accessToken');
		expect(
			credentials?.map((credential) => [
				credential.name,
				credential.displayOptions?.show?.authentication,
			]),
		).toEqual([
			['ringCentralAccessTokenApi', ['accessToken']],
			['ringCentralJwtApi', ['jwt']],
			['ringCentralOAuth2Api', ['oAuth2']],
		]);
	});
});

describe('OAuth2 credential, resolved the way n8n resolves credential defaults', () => {
	const helper = new TestCredentialsHelper();
	const resolve = (data: ICredentialDataDecryptedObject) =>
		helper.applyDefaultsAndExpressions(
			{ clientId: 'id', clientSecret: 'secret', ...data },
			'ringCentralOAuth2Api',
		);

	test("extends n8n's oAuth2Api with the authorization-code grant and client credentials sent as HTTP Basic", () => {
		// The access-token credential comes first only to put Environment at the top of the form.
		expect(credentialTypes.ringCentralOAuth2Api.extends).toEqual([
			'ringCentralAccessTokenApi',
			'oAuth2Api',
		]);
		expect(helper.getParentTypes('ringCentralOAuth2Api')).toContain('oAuth2Api');
		expect(resolve({ environment: 'production' })).toMatchObject({
			grantType: 'authorizationCode',
			authentication: 'header',
			scope: '',
			authQueryParameters: '',
			useDynamicClientRegistration: false,
		});
	});

	test.each(ENVIRONMENTS)('builds the authorize and token URLs for %s', (_name, data, baseUrl) => {
		const resolved = resolve(data);
		expect(resolved.authUrl).toBe(`${baseUrl}/restapi/oauth/authorize`);
		expect(resolved.accessTokenUrl).toBe(`${baseUrl}/restapi/oauth/token`);
	});

	test('hidden URLs saved with the credential are ignored: n8n always derives them from the environment', () => {
		const resolved = resolve({
			environment: 'sandbox',
			authUrl: 'https://evil.example.com/authorize',
			accessTokenUrl: 'https://evil.example.com/token',
		});
		expect(resolved.authUrl).toBe(`${SANDBOX}/restapi/oauth/authorize`);
		expect(resolved.accessTokenUrl).toBe(`${SANDBOX}/restapi/oauth/token`);
	});

	test('the form asks only for client ID, client secret, environment and, for a custom server, its URL', () => {
		// n8n's backend adds `oauthTokenData` for itself; the form never shows it.
		const properties = helper
			.getCredentialsProperties('ringCentralOAuth2Api')
			.filter((property) => property.name !== 'oauthTokenData');
		const visible = (data: INodeParameters) => {
			const shown = NodeHelpers.getNodeParameters(properties, data, true, false, null, null) ?? {};
			return properties
				.filter((property) => property.type !== 'hidden' && property.name in shown)
				.map((property) => property.name)
				.sort();
		};
		expect(visible({ environment: 'production' })).toEqual([
			'clientId',
			'clientSecret',
			'environment',
		]);
		expect(visible({ environment: 'custom' })).toEqual([
			'clientId',
			'clientSecret',
			'environment',
			'serverUrl',
		]);
	});
});

describe('test requests of the "Test" button', () => {
	test.each(Object.keys(credentialTypes))(
		'%s reads the signed-in extension on the chosen server',
		(type) => {
			const { request, rules } = credentialTypes[type].test ?? { request: {} };
			expect(request.url).toBe(TEST_PATH);
			expect(request.method ?? 'GET').toBe('GET');
			for (const [, data, baseUrl] of ENVIRONMENTS) {
				expect(resolveWithCredentials(String(request.baseURL), data)).toBe(baseUrl);
			}
			expect(rules?.map((rule) => (rule.properties as { value: number }).value)).toEqual([
				401, 403, 404,
			]);
		},
	);

	describe("sent through n8n's RoutingNode to RingCentral", () => {
		const fake = useFakeRingCentral({
			seedExtensions: 2,
			jwt: APP,
			accessToken: 'good-access-token',
		});
		const at = (server: FakeRingCentral) => ({
			environment: 'custom',
			serverUrl: `${server.url}/`,
		});
		const jwtAt = (server: FakeRingCentral) => ({
			...at(server),
			clientId: APP.clientId,
			clientSecret: APP.clientSecret,
			jwt: APP.assertion,
		});
		const testRequests = (server: FakeRingCentral) => server.requestsFor('readCurrentExtension');

		test('a working access token passes', async () => {
			const { server } = fake;
			const result = await testCredential('ringCentralAccessTokenApi', {
				...at(server),
				accessToken: 'good-access-token',
			});
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(
				testRequests(server).map((request) => [request.path, request.headers.authorization]),
			).toEqual([[TEST_PATH, 'Bearer good-access-token']]);
		});

		test('a wrong access token fails, and the message says what to do', async () => {
			const { server } = fake;
			const result = await testCredential('ringCentralAccessTokenApi', {
				...at(server),
				accessToken: 'expired-access-token',
			});
			expect(result.status).toBe('Error');
			expect(result.message).toContain(
				'RingCentral refused the credential (HTTP 401 Unauthorized)',
			);
			expect(result.message).toContain('paste a new one, or use the RingCentral JWT credential');
			expect(testRequests(server).every((request) => request.status === 401)).toBe(true);
		});

		test('a missing Read Accounts permission is named', async () => {
			const { server } = fake;
			server.injectFault({
				kind: 'status',
				status: 403,
				match: { operationId: 'readCurrentExtension' },
			});
			const result = await testCredential('ringCentralAccessTokenApi', {
				...at(server),
				accessToken: 'good-access-token',
			});
			expect(result).toEqual({
				status: 'Error',
				message: expect.stringContaining('add the Read Accounts permission'),
			});
		});

		test('a server URL without the RingCentral API behind it is named', async () => {
			const { server } = fake;
			const result = await testCredential('ringCentralAccessTokenApi', {
				environment: 'custom',
				serverUrl: `${server.url}/not-ringcentral`,
				accessToken: 'good-access-token',
			});
			expect(result).toEqual({
				status: 'Error',
				message: expect.stringContaining('check the environment and server URL'),
			});
			// The fake logs the unknown path as a spec violation: expected here.
			expect(server.violations.splice(0).map((violation) => violation.request)).toEqual([
				`GET /not-ringcentral${TEST_PATH}`,
			]);
		});

		test('a working JWT credential fetches a token and passes', async () => {
			const { server } = fake;
			const data = jwtAt(server);
			const result = await testCredential('ringCentralJwtApi', data);
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(server.requestsFor('oauthToken').map((request) => request.status)).toEqual([200]);
			expect(testRequests(server)[0].headers.authorization).toMatch(/^Bearer access-/);
		});

		test.each([
			[
				'client secret',
				{ clientSecret: 'wrong-secret' },
				'RingCentral refused the JWT credential (HTTP 401, invalid_client OAU-123): Invalid client: app-client-id. Check the client ID and client secret',
			],
			[
				'JWT',
				{ jwt: 'wrong-jwt' },
				'RingCentral refused the JWT credential (HTTP 400, invalid_grant OAU-140): Invalid resource owner credentials. Check the JWT',
			],
		])(
			"a JWT credential with a wrong %s fails with RingCentral's reason",
			async (_what, wrong, expected) => {
				const { server } = fake;
				const data = { ...jwtAt(server), ...wrong };
				const result = await testCredential('ringCentralJwtApi', data);
				expect(result.status).toBe('Error');
				expect(result.message).toContain(expected);
				expect(testRequests(server)).toHaveLength(0);
			},
		);

		test('a connected OAuth2 credential passes, and refreshes an expired token to do so', async () => {
			const { server } = fake;
			const stored = { ...at(server), clientId: APP.clientId, clientSecret: APP.clientSecret };
			const { authorizeUrl, oauthTokenData } = await connectOAuth2(stored);
			expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(
				`${server.url}/restapi/oauth/authorize`,
			);
			expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
				response_type: 'code',
				client_id: APP.clientId,
				redirect_uri: N8N_OAUTH2_CALLBACK,
			});

			expect(await testCredential('ringCentralOAuth2Api', { ...stored, oauthTokenData })).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			server.expireAllTokens();
			expect(await testCredential('ringCentralOAuth2Api', { ...stored, oauthTokenData })).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			expect(testRequests(server).map((request) => request.status)).toEqual([200, 401, 200]);
			expect(
				server
					.requestsFor('oauthToken')
					.map((request) => (request.body as { grant_type: string }).grant_type),
			).toEqual(['authorization_code', 'refresh_token']);
		});
	});
});
