import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
} from 'n8n-workflow';

import { RingCentralAccessTokenApi } from '../../credentials/RingCentralAccessTokenApi.credentials';
import { RingCentralJwtApi } from '../../credentials/RingCentralJwtApi.credentials';
import { RingCentralOAuth2Api } from '../../credentials/RingCentralOAuth2Api.credentials';

export const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[new RingCentralAccessTokenApi(), new RingCentralJwtApi(), new RingCentralOAuth2Api()].map((type) => [type.name, type]),
);

/** Resolves `{{$credentials.name}}` in an n8n expression the way n8n does for `authenticate`. */
function resolveCredentialExpression(value: string, credentials: ICredentialDataDecryptedObject): string {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_match, name: string) => String(credentials[name] ?? ''));
}

/**
 * A credentials store and helper that behaves like n8n's own for these credential types:
 * it applies the type's `authenticate`, runs its real `preAuthentication` when the expirable
 * field is empty or the API said 401, and keeps what that returned for later requests and
 * executions, as n8n saves it to the database.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, { type: string; data: ICredentialDataDecryptedObject }>();

	preAuthenticationCalls = 0;

	add(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { type, data: { ...data } });
	}

	getParentTypes(name: string): string[] {
		return (credentialTypes[name]?.extends ?? []).flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		const options = { ...requestOptions, headers: { ...requestOptions.headers } } as IHttpRequestOptions;
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') return options;
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
			options.headers![name] = resolveCredentialExpression(String(value), credentials);
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		const expirable = type?.properties.find((property) => property.typeOptions?.expirable === true);
		if (!type?.preAuthentication || !expirable) return undefined;
		if (!credentialsExpired && credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined) {
			return undefined;
		}
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		const details = node.credentials?.[typeName];
		const stored = details?.id ? this.store.get(details.id) : undefined;
		if (stored) Object.assign(stored.data, output);
		return output as ICredentialDataDecryptedObject;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		if (!type?.preAuthentication) return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return { id: details.id, name: details.name, type, data: '' } as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: unknown,
		details: INodeCredentialsDetails,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = details.id ? this.store.get(details.id) : undefined;
		if (!stored) throw new Error(`No test credential with id ${details.id}`);
		return { ...stored.data };
	}

	async updateCredentials(details: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		const stored = details.id ? this.store.get(details.id) : undefined;
		if (stored) stored.data = { ...data };
	}

	async updateCredentialsOauthTokenData(
		details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(details, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}
