import { getAdditionalKeys } from 'n8n-core';
import {
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialsExpressionResolveValues,
	type ICredentialType,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type NodeParameterValue,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { RingCentralAccessTokenApi } from '../../credentials/RingCentralAccessTokenApi.credentials';
import { RingCentralJwtApi } from '../../credentials/RingCentralJwtApi.credentials';
import { RingCentralOAuth2Api } from '../../credentials/RingCentralOAuth2Api.credentials';
import { OAuth2Api } from './oAuth2Api';

export const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[new RingCentralAccessTokenApi(), new RingCentralJwtApi(), new RingCentralOAuth2Api()].map(
		(type) => [type.name, type],
	),
);

/** Our credential types plus the n8n built-in types they extend. */
const knownCredentialTypes: Record<string, ICredentialType> = {
	...credentialTypes,
	oAuth2Api: new OAuth2Api(),
};

/** Hidden OAuth fields n8n always takes from the credential type, never from stored data. */
const OAUTH_PINNED_FIELDS = [
	'useDynamicClientRegistration',
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
];

/** The node n8n resolves credential expressions on when no node is running (n8n's `mockNode`). */
const MOCK_NODE: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const NO_NODE_TYPES: INodeTypes = {
	getByName: () => undefined as never,
	getByNameAndVersion: () => undefined as never,
	getKnownTypes: () => ({}),
};

function credentialType(name: string): ICredentialType {
	const type = knownCredentialTypes[name];
	if (!type) throw new UnexpectedError(`Unknown credential type ${name}`);
	return type;
}

/**
 * A credentials store and helper that behaves like n8n's own (packages/cli `CredentialsHelper`,
 * n8n 2.41) for these credential types:
 * - `getDecrypted` fills in the type's defaults (merged with the types it extends) and resolves
 *   expressions with `$self` bound to the credential data, as `applyDefaultsAndOverwrites` does;
 * - `authenticate` resolves the type's generic `authenticate` with n8n's expression engine;
 * - `preAuthentication` runs the type's real `preAuthentication` when the hidden expirable field
 *   is empty or the API said 401, and saves what it returned for later requests and executions,
 *   as n8n saves it to its database;
 * - `updateCredentialsOauthTokenData` saves only the OAuth token data, as n8n does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, { type: string; data: ICredentialDataDecryptedObject }>();

	preAuthenticationCalls = 0;

	add(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { type, data: { ...data } });
	}

	getParentTypes(name: string): string[] {
		return (knownCredentialTypes[name]?.extends ?? []).flatMap((parent) => [
			parent,
			...this.getParentTypes(parent),
		]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions &
			Record<string, Record<string, unknown>>;
		const { authenticate } = credentialType(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (typeof authenticate !== 'object') return requestOptions;
		if (!workflow || !node) {
			throw new UnexpectedError(
				'Workflow and node are required for declarative credential authentication',
			);
		}
		requestOptions.headers ??= {};
		if (authenticate.type !== 'generic') return requestOptions;
		const resolve = (value: unknown): unknown =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value,
							'internal',
							{ $credentials: credentials },
							undefined,
							'',
						) || '',
					)
				: value;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			requestOptions[outerKey] ??= {};
			for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
				requestOptions[outerKey][String(resolve(key))] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialType(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials)
			return undefined;
		this.preAuthenticationCalls++;
		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (!details) return undefined;
		const stored = this.storedOrFail(details);
		const toPersist = { ...stored.data };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored.data[key])) toPersist[key] = value;
		}
		await this.updateCredentials(details, typeName, toPersist);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialType(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (
			((await type.preAuthentication.call(
				helpers,
				credentials,
			)) as ICredentialDataDecryptedObject) ?? undefined
		);
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return { id: details.id, name: details.name, type, data: '' } as unknown as ICredentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		details: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.storedOrFail(details);
		if (raw) return { ...stored.data };
		return this.applyDefaultsAndExpressions(stored.data, type, {
			additionalData,
			mode,
			executeData,
			expressionResolveValues,
		});
	}

	/** What n8n's `applyDefaultsAndOverwrites` makes of stored credential data (without overwrites). */
	applyDefaultsAndExpressions(
		storedData: ICredentialDataDecryptedObject,
		type: string,
		context: {
			additionalData?: IWorkflowExecuteAdditionalData;
			mode?: WorkflowExecuteMode;
			executeData?: IExecuteData;
			expressionResolveValues?: ICredentialsExpressionResolveValues;
		} = {},
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		const data = { ...storedData };
		for (const field of OAUTH_PINNED_FIELDS) {
			if (properties.some((property) => property.name === field && property.type === 'hidden'))
				delete data[field];
		}
		const withDefaults =
			NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null) ??
			{};
		if (storedData.oauthTokenData !== undefined)
			withDefaults.oauthTokenData = storedData.oauthTokenData as INodeParameters;
		const mode = context.mode ?? 'internal';
		const additionalKeys = context.additionalData
			? getAdditionalKeys(context.additionalData, mode, null, { isCredential: true })
			: {};
		const resolveValues = context.expressionResolveValues;
		if (resolveValues) {
			return resolveValues.workflow.expression.getParameterValue(
				withDefaults,
				resolveValues.runExecutionData,
				resolveValues.runIndex,
				resolveValues.itemIndex,
				resolveValues.node.name,
				resolveValues.connectionInputData,
				mode,
				additionalKeys,
				context.executeData,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}
		const workflow = new Workflow({
			nodes: [MOCK_NODE],
			connections: {},
			active: false,
			nodeTypes: NO_NODE_TYPES,
		});
		return workflow.expression.getComplexParameterValue(
			MOCK_NODE,
			withDefaults as NodeParameterValue | INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		details: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.storedOrFail(details).data = { ...data };
	}

	async updateCredentialsOauthTokenData(
		details: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.storedOrFail(details);
		stored.data = { ...stored.data, oauthTokenData: data.oauthTokenData };
	}

	/** The type's properties merged with those of the types it extends, as n8n merges them. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credential = credentialType(type);
		if (credential.extends === undefined) {
			if (type !== 'oAuth2Api') return credential.properties;
			return [
				...credential.properties,
				{
					displayName: 'oauthTokenData',
					name: 'oauthTokenData',
					type: 'json',
					required: false,
					default: {},
				},
			];
		}
		const combined: INodeProperties[] = [];
		for (const parent of credential.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credential.properties);
		return combined;
	}

	private storedOrFail(details: INodeCredentialsDetails): {
		type: string;
		data: ICredentialDataDecryptedObject;
	} {
		const stored = details.id ? this.store.get(details.id) : undefined;
		if (!stored) throw new Error(`No test credential with id ${details.id}`);
		return stored;
	}
}
