import { FAKE, type FakeRingCentral, type LoggedRequest } from './lib/fake';
import { type Execution, type N8n } from './lib/n8n';
import { actionScenarios } from './actionScenarios';
import { examplesScenario } from './examplesScenario';
import { jwtScenario } from './jwtScenario';
import { leaversScenario } from './leaversScenario';
import { triggerScenario } from './triggerScenario';
import { webSocketTokensScenario } from './webSocketTokensScenario';
import { webSocketTriggerScenario } from './webSocketTriggerScenario';

export const ACCESS_TOKEN_CREDENTIAL = {
	id: 'rcE2eAccessTkn01',
	name: 'RingCentral fake (access token)',
};
export const JWT_CREDENTIAL = { id: 'rcE2eJwtCred0001', name: 'RingCentral fake (JWT)' };
/** Already connected: its token data holds the fake's static access token. */
export const OAUTH2_CREDENTIAL = { id: 'rcE2eOAuth2Crd01', name: 'RingCentral fake (OAuth2)' };

/** Credentials as `n8n import:credentials` takes them: plaintext `data` is encrypted on import. */
export function credentialsFor(fakeUrl: string): unknown[] {
	return [
		{
			...ACCESS_TOKEN_CREDENTIAL,
			type: 'ringCentralAccessTokenApi',
			data: { environment: 'custom', serverUrl: fakeUrl, accessToken: FAKE.accessToken },
		},
		{
			...JWT_CREDENTIAL,
			type: 'ringCentralJwtApi',
			data: {
				environment: 'custom',
				serverUrl: fakeUrl,
				clientId: FAKE.clientId,
				clientSecret: FAKE.clientSecret,
				jwt: FAKE.jwt,
			},
		},
		{
			...OAUTH2_CREDENTIAL,
			type: 'ringCentralOAuth2Api',
			data: {
				environment: 'custom',
				serverUrl: fakeUrl,
				clientId: FAKE.clientId,
				clientSecret: FAKE.clientSecret,
				oauthTokenData: {
					access_token: FAKE.accessToken,
					refresh_token: 'e2e-refresh-token',
					token_type: 'bearer',
					expires_in: 3600,
				},
			},
		},
	];
}

export interface ExampleWorkflow {
	file: string;
	id: string;
	name: string;
	/** Names of the RingCentral Extensions nodes in it. */
	ringCentralNodes: string[];
}

export interface ScenarioContext {
	n8n: N8n;
	fake: FakeRingCentral;
	/** examples/*.json, imported with their RingCentral nodes pointed at the e2e credentials. */
	examples: ExampleWorkflow[];
	/** Executes a workflow (n8n execute) and returns the outcome plus the API requests it caused. */
	execute(workflowId: string): Promise<{ execution: Execution; requests: LoggedRequest[] }>;
}

export interface Scenario {
	name: string;
	/** Workflow files (test/e2e/workflows/<id>.json) it needs imported. */
	workflows: string[];
	run(ctx: ScenarioContext): Promise<void>;
}

/** Every scenario, in the order the suite runs them; each subject has its own file. */
export const SCENARIOS: Scenario[] = [
	...actionScenarios,
	jwtScenario,
	examplesScenario,
	leaversScenario,
	triggerScenario,
	webSocketTriggerScenario,
	webSocketTokensScenario,
];
