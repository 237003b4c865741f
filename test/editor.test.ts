// The node as the n8n editor (and an AI agent) sees it: operations, parameters, defaults, the
// template picker, icons, the codex file, and the generated request schemas.
/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- this test runs scripts/generate-schemas.js --check; tests are never shipped */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeHelpers,
	Workflow,
	type ICredentialType,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';
import YAML from 'yaml';

import { RingCentralAccessTokenApi } from '../credentials/RingCentralAccessTokenApi.credentials';
import { RingCentralJwtApi } from '../credentials/RingCentralJwtApi.credentials';
import { RingCentralOAuth2Api } from '../credentials/RingCentralOAuth2Api.credentials';
import { RingCentralExtensions } from '../nodes/RingCentralExtensions/RingCentralExtensions.node';
import type { FakeRingCentral } from './fake-server';
import { RING_CENTRAL_NODE_TYPE, RING_CENTRAL_TRIGGER_TYPE, workflowNodeTypes } from './harness';
import { callListSearch } from './harness/listSearch';
import { OAuth2Api } from './harness/oAuth2Api';
import { headingAnchors } from './support/markdown';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const ROOT = join(__dirname, '..');
const NODE_DIR = join(ROOT, 'nodes', 'RingCentralExtensions');
const node = new RingCentralExtensions();
const description: INodeTypeDescription = node.description;
const credentialTypes: ICredentialType[] = [
	new RingCentralAccessTokenApi(),
	new RingCentralJwtApi(),
	new RingCentralOAuth2Api(),
];

interface SpecSchema {
	enum?: string[];
	properties?: Record<string, SpecSchema>;
}
const spec = YAML.parse(
	readFileSync(join(ROOT, 'spec', 'ringcentral-extensions.openapi.yml'), 'utf8'),
) as {
	components: { schemas: Record<string, SpecSchema> };
};
const specSchemas = spec.components.schemas;

const EDITOR_NODE: Pick<INode, 'typeVersion'> = { typeVersion: 1 };

/** The parameters the editor shows for these values, with their defaults (as n8n computes them). */
function shownParameters(values: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(
		description.properties,
		values,
		true,
		false,
		EDITOR_NODE,
		description,
	)!;
}

/** The one property named `name` that the editor shows for these values. */
function shownProperty(name: string, values: INodeParameters): INodeProperties {
	const withDefaults = shownParameters(values);
	const shown = description.properties.filter(
		(property) =>
			property.name === name &&
			NodeHelpers.displayParameter(withDefaults, property, EDITOR_NODE, description),
	);
	expect(shown).toHaveLength(1);
	return shown[0];
}

function optionValues(property: INodeProperties): unknown[] {
	return (property.options as INodePropertyOptions[]).map((option) => option.value);
}

function subOption(collection: INodeProperties, name: string): INodeProperties {
	const option = (collection.options as INodeProperties[]).find(
		(candidate) => candidate.name === name,
	);
	expect(option).toBeDefined();
	return option!;
}

/** A resource locator with a searchable list (through `method`) and an ID mode. */
function expectPicker(locator: INodeProperties, method: string): void {
	expect(locator.type).toBe('resourceLocator');
	expect(locator.modes?.map((mode) => [mode.name, mode.type])).toEqual([
		['list', 'list'],
		['id', 'string'],
	]);
	expect(locator.modes?.[0].typeOptions).toEqual({ searchListMethod: method, searchable: true });
}

describe('node identity', () => {
	test('contract names, version 1, usable as an AI tool, themed icon', () => {
		expect(description).toEqual(
			expect.objectContaining({
				name: 'ringCentralExtensions',
				displayName: 'RingCentral Extensions',
				version: 1,
				usableAsTool: true,
				icon: {
					light: 'file:ringCentralExtensions.svg',
					dark: 'file:ringCentralExtensions.dark.svg',
				},
			}),
		);
	});

	test.each([
		['extension', 'getAll', 'Get many extensions'],
		['extension', 'create', 'Create an extension'],
		['extension', 'bulkUpdate', 'Bulk update extensions'],
		['bulkUpdateTask', 'get', 'Get a bulk update task'],
		['userTemplate', 'getAll', 'Get many user templates'],
		['userTemplate', 'get', 'Get a user template'],
	])('the canvas subtitle of %s · %s reads "%s"', (resource, operation, words) => {
		const canvasNode: INode = {
			id: 'subtitle',
			name: 'RingCentral Extensions',
			type: 'n8n-nodes-ringcentral-extensions.ringCentralExtensions',
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource, operation },
		};
		const workflow = new Workflow({
			nodes: [canvasNode],
			connections: {},
			active: false,
			nodeTypes: workflowNodeTypes,
		});
		expect(
			workflow.expression.getSimpleParameterValue(canvasNode, description.subtitle, 'manual', {}),
		).toBe(words);
	});

	test('authentication picks one of the three credentials, access token by default', () => {
		expect(shownParameters({}).authentication).toBe('accessToken');
		expect(optionValues(shownProperty('authentication', {}))).toEqual([
			'accessToken',
			'jwt',
			'oAuth2',
		]);
		const credentialFor = Object.fromEntries(
			(description.credentials ?? []).map((credential) => [
				credential.displayOptions?.show?.authentication?.[0],
				credential.name,
			]),
		);
		expect(credentialFor).toEqual({
			accessToken: 'ringCentralAccessTokenApi',
			jwt: 'ringCentralJwtApi',
			oAuth2: 'ringCentralOAuth2Api',
		});
	});
});

describe("n8n's nodes panel", () => {
	/**
	 * n8n 2.41's node creator (generateMergedNodesAndActions in the editor's workflows store) shows a
	 * trigger whose name minus "Trigger" is an action node's as one entry with both nodes' actions,
	 * and gives that entry the trigger's description.
	 */
	function panelEntries(
		types: INodeTypeDescription[],
	): Array<{ name: string; description: string }> {
		const entries = types
			.filter((type) => !type.group.includes('trigger'))
			.map(({ name, description: text }) => ({ name, description: text }));
		for (const trigger of types.filter((type) => type.group.includes('trigger'))) {
			const app = entries.find((entry) => entry.name === trigger.name.replace('Trigger', ''));
			if (app) app.description = trigger.description;
			else entries.push({ name: trigger.name, description: trigger.description });
		}
		return entries;
	}

	test('the one entry for both nodes describes the actions and the trigger, not the trigger alone', () => {
		const loaded = [RING_CENTRAL_NODE_TYPE, RING_CENTRAL_TRIGGER_TYPE].map((type) => ({
			...workflowNodeTypes.getByNameAndVersion(type, 1).description,
			name: type,
		}));
		const entries = panelEntries(loaded);
		expect(entries.map(({ name }) => name)).toEqual([RING_CENTRAL_NODE_TYPE]);
		const [{ description: shown }] = entries;
		for (const words of ['list', 'create', 'bulk-update', 'delete', 'HR list', 'start a workflow'])
			expect(shown).toContain(words);
	});
});

describe('choosing a credential (n8n 2.41 shows one Credential dropdown, not the Authentication field)', () => {
	test('the JWT credential type says it is the recommended one, where the dropdown lists the types', () => {
		expect(credentialTypes.map((credential) => credential.displayName)).toEqual([
			'RingCentral Access Token API',
			'RingCentral JWT (Recommended) API',
			'RingCentral OAuth2 API',
		]);
	});

	// n8n 2.41 draws every 'notice' parameter as an orange warning: advice goes in grey hints.
	test('the JWT advice is a grey hint under the access token, not an orange notice on every node', () => {
		const accessToken = new RingCentralAccessTokenApi().properties.find(
			(property) => property.name === 'accessToken',
		)!;
		expect(accessToken.hint).toMatch(/about an hour.*RingCentral JWT \(Recommended\) API/);
		// The one warning left: deleting cannot be undone.
		expect(
			description.properties
				.filter((property) => property.type === 'notice')
				.map((property) => property.name),
		).toEqual(['deleteNotice']);
	});

	test('Create or Update explains matching in a hint under Match On', () => {
		expect(
			shownProperty('matchOn', { resource: 'extension', operation: 'createOrUpdate' }).hint,
		).toMatch(/All items are matched together/);
	});

	/** A credential type's properties merged with its parents', as n8n 2.41's editor merges them. */
	function mergedProperties(type: ICredentialType): INodeProperties[] {
		if (type.extends === undefined) return type.properties;
		const parents: Record<string, ICredentialType> = {
			oAuth2Api: new OAuth2Api(),
			...Object.fromEntries(credentialTypes.map((credential) => [credential.name, credential])),
		};
		const merged: INodeProperties[] = [];
		for (const parent of type.extends) {
			NodeHelpers.mergeNodeProperties(merged, mergedProperties(parents[parent]));
		}
		NodeHelpers.mergeNodeProperties(merged, type.properties);
		return merged;
	}

	/** The fields n8n's credential form shows, in its order. */
	function formFields(type: ICredentialType, values: Record<string, unknown> = {}): string[] {
		const merged = mergedProperties(type);
		const data = {
			...Object.fromEntries(merged.map((property) => [property.name, property.default])),
			...values,
		};
		return merged
			.filter((property) => property.type !== 'hidden')
			.filter(
				(property) =>
					property.displayOptions === undefined ||
					NodeHelpers.displayParameter(data as INodeParameters, property, EDITOR_NODE, null),
			)
			.map((property) => property.name);
	}

	test('the OAuth2 form starts with Environment, then asks only for the app; RingCentral fixes the rest', () => {
		const oAuth2 = new RingCentralOAuth2Api();
		expect(formFields(oAuth2)).toEqual(['environment', 'clientId', 'clientSecret']);
		expect(formFields(oAuth2, { environment: 'custom' })).toEqual([
			'environment',
			'serverUrl',
			'clientId',
			'clientSecret',
		]);
	});

	test('the JWT and access-token forms start with Environment too', () => {
		expect(formFields(new RingCentralJwtApi())).toEqual([
			'environment',
			'clientId',
			'clientSecret',
			'jwt',
		]);
		expect(formFields(new RingCentralAccessTokenApi(), { environment: 'custom' })).toEqual([
			'environment',
			'serverUrl',
			'accessToken',
		]);
	});
});

describe('resources and operations', () => {
	const contract: Record<string, { operations: string[]; default: string }> = {
		extension: {
			operations: ['bulkUpdate', 'create', 'createOrUpdate', 'delete', 'get', 'getAll', 'update'],
			default: 'getAll',
		},
		bulkUpdateTask: { operations: ['get'], default: 'get' },
		userTemplate: { operations: ['get', 'getAll'], default: 'getAll' },
	};

	test('three resources, extension by default; every choice is described', () => {
		const resource = shownProperty('resource', {});
		expect(optionValues(resource)).toEqual(['extension', 'bulkUpdateTask', 'userTemplate']);
		expect(resource.default).toBe('extension');
		expect(resource.noDataExpression).toBe(true);
	});

	test.each(Object.entries(contract))(
		'%s: the contract operations and default, each with an action',
		(resource, { operations, default: operationDefault }) => {
			const operation = shownProperty('operation', { resource });
			expect(optionValues(operation).sort()).toEqual(operations);
			expect(operation.default).toBe(operationDefault);
			expect(shownParameters({ resource }).operation).toBe(operationDefault);
			for (const option of operation.options as INodePropertyOptions[]) {
				expect(option.action).toMatch(/^[A-Z]/);
				expect(option.description).toBeTruthy();
			}
		},
	);

	test.each(
		Object.entries(contract).flatMap(([resource, { operations }]) =>
			operations.map((operation) => [resource, operation]),
		),
	)('%s · %s: an AI agent sees what the tool does', (resource, operation) => {
		const action = (
			shownProperty('operation', { resource }).options as INodePropertyOptions[]
		).find((option) => option.value === operation)!.action;
		const tool = NodeHelpers.getToolDescriptionForNode(
			{ parameters: { resource, operation } } as unknown as INode,
			node,
		);
		expect(tool).toBe(`${action} in RingCentral Extensions`);
	});

	test('every operation has the account ID, "~" by default', () => {
		for (const [resource, { operations }] of Object.entries(contract)) {
			for (const operation of operations)
				expect(shownParameters({ resource, operation }).accountId).toBe('~');
		}
	});
});

describe('parameters and defaults of each operation', () => {
	test('extension · getAll: Return All off, Limit 50 (min 1, hidden when returning all), empty filters', () => {
		const values = { resource: 'extension', operation: 'getAll' };
		expect(shownParameters(values)).toEqual(
			expect.objectContaining({ returnAll: false, limit: 50, filters: {} }),
		);
		expect(shownProperty('limit', values).typeOptions?.minValue).toBe(1);
		expect(shownParameters({ ...values, returnAll: true })).not.toHaveProperty('limit');
		const filters = shownProperty('filters', values);
		expect((filters.options as INodeProperties[]).map((option) => option.name).sort()).toEqual([
			'email',
			'extensionNumber',
			'status',
			'type',
		]);
	});

	test('extension · getAll: status and type are multi-selects holding exactly the spec values', () => {
		const filters = shownProperty('filters', { resource: 'extension', operation: 'getAll' });
		const status = subOption(filters, 'status');
		const type = subOption(filters, 'type');
		expect(status.type).toBe('multiOptions');
		expect(type.type).toBe('multiOptions');
		expect(optionValues(status).sort()).toEqual(
			[...specSchemas.ExtensionStatusEnumFull.enum!].sort(),
		);
		expect(optionValues(type).sort()).toEqual([...specSchemas.AllExtensionTypesEnum.enum!].sort());
	});

	test('statuses are described in words, and types admins know by another name say so', () => {
		const filters = shownProperty('filters', { resource: 'extension', operation: 'getAll' });
		for (const option of subOption(filters, 'status').options as INodePropertyOptions[])
			expect(option.description).toBeTruthy();
		const types = Object.fromEntries(
			(subOption(filters, 'type').options as INodePropertyOptions[]).map((option) => [
				option.value,
				option,
			]),
		);
		expect(`${types.Department.name} ${types.Department.description}`).toMatch(/call queue/i);
		expect(`${types.IvrMenu.name} ${types.IvrMenu.description}`).toMatch(/auto-receptionist|IVR/i);
		expect(`${types.Voicemail.name} ${types.Voicemail.description}`).toMatch(/message/i);
		expect(`${types.Limited.name} ${types.Limited.description}`).toMatch(/common-area/i);
		for (const value of [
			'Announcement',
			'PagingOnly',
			'SharedLinesGroup',
			'ParkLocation',
			'FaxUser',
			'VirtualUser',
			'DigitalUser',
			'User',
		]) {
			expect(types[value].description).toBeTruthy();
		}
	});

	test('extension · create: fields by default, first name and email required, the contract additional fields', () => {
		const values = { resource: 'extension', operation: 'create' };
		expect(shownParameters(values)).toEqual(
			expect.objectContaining({
				specifyBody: 'fields',
				firstName: '',
				lastName: '',
				email: '',
				extensionType: 'User',
				additionalFields: {},
			}),
		);
		expect(shownProperty('firstName', values).required).toBe(true);
		expect(shownProperty('email', values).required).toBe(true);
		const additional = (shownProperty('additionalFields', values).options as INodeProperties[]).map(
			(option) => option.name,
		);
		expect(additional).toEqual(
			expect.arrayContaining([
				'extensionNumber',
				'status',
				'password',
				'company',
				'jobTitle',
				'department',
				'businessPhone',
				'mobilePhone',
				'siteId',
				'costCenterId',
				'partnerId',
			]),
		);
		expect(shownProperty('additionalFields', values).options as INodeProperties[]).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'password', typeOptions: { password: true } }),
			]),
		);
	});

	test("extension · create: the type list is the create request's enum; JSON mode swaps the fields for a JSON body", () => {
		const values = { resource: 'extension', operation: 'create' };
		const createTypes = specSchemas.ExtensionCreationRequest.properties!.type.enum!;
		expect(optionValues(shownProperty('extensionType', values)).sort()).toEqual(
			[...createTypes].sort(),
		);
		const json = shownParameters({ ...values, specifyBody: 'json' });
		expect(json).toHaveProperty('jsonBody');
		expect(json).not.toHaveProperty('firstName');
		expect(JSON.parse(String(json.jsonBody))).toEqual(expect.objectContaining({ type: 'User' }));
	});

	test('extension · bulkUpdate: input items by default, waits (every 5 s, up to 600 s); JSON records on request', () => {
		const values = { resource: 'extension', operation: 'bulkUpdate' };
		expect(shownParameters(values)).toEqual(
			expect.objectContaining({
				source: 'inputItems',
				waitForCompletion: true,
				pollInterval: 5,
				pollTimeout: 600,
			}),
		);
		expect(shownProperty('pollInterval', values).typeOptions?.minValue).toBe(1);
		expect(shownParameters(values)).not.toHaveProperty('records');
		expect(JSON.parse(String(shownParameters({ ...values, source: 'json' }).records))).toEqual([
			{ id: '', status: 'Disabled' },
		]);
		expect(shownParameters({ ...values, waitForCompletion: false })).not.toHaveProperty(
			'pollInterval',
		);
	});

	test('bulkUpdateTask · get: a required task ID; does not wait unless asked', () => {
		const values = { resource: 'bulkUpdateTask', operation: 'get' };
		expect(shownParameters(values)).toEqual(
			expect.objectContaining({ taskId: '', waitForCompletion: false }),
		);
		expect(shownProperty('taskId', values).required).toBe(true);
		expect(shownParameters(values)).not.toHaveProperty('pollInterval');
		expect(shownParameters({ ...values, waitForCompletion: true })).toEqual(
			expect.objectContaining({ pollInterval: 5, pollTimeout: 600 }),
		);
	});

	test("userTemplate · getAll: Return All / Limit, and a type filter holding exactly the spec's template types", () => {
		const values = { resource: 'userTemplate', operation: 'getAll' };
		expect(shownParameters(values)).toEqual(
			expect.objectContaining({ returnAll: false, limit: 50, filters: {} }),
		);
		const type = subOption(shownProperty('filters', values), 'type');
		expect(type.type).toBe('options');
		expect(optionValues(type).sort()).toEqual([...specSchemas.TemplateType.enum!].sort());
	});

	test('userTemplate · get: a template picker (searchable list through searchTemplates) or an ID', () => {
		const template = shownProperty('templateId', { resource: 'userTemplate', operation: 'get' });
		expectPicker(template, 'searchTemplates');
		expect(template.default).toEqual({ mode: 'list', value: '' });
	});
});

describe('one extension: get, update, delete', () => {
	test.each(['get', 'update', 'delete'])(
		'extension · %s: an extension picker (searchExtensions) or an ID',
		(operation) => {
			const locator = shownProperty('extensionId', { resource: 'extension', operation });
			expectPicker(locator, 'searchExtensions');
			expect(locator.required).toBe(true);
		},
	);

	test('update: Update Fields hold the contract fields; JSON takes an ExtensionUpdateRequest', () => {
		const values = { resource: 'extension', operation: 'update' };
		const fields = shownProperty('updateFields', values);
		expect((fields.options as INodeProperties[]).map(({ name }) => name).sort()).toEqual(
			[
				'firstName',
				'lastName',
				'email',
				'extensionNumber',
				'status',
				'company',
				'jobTitle',
				'department',
				'businessPhone',
				'mobilePhone',
				'siteId',
				'partnerId',
			].sort(),
		);
		expect(optionValues(subOption(fields, 'status'))).toEqual([
			...specSchemas.ExtensionStatusEnumForUpdate.enum!,
		]);
		expect(shownParameters({ ...values, specifyBody: 'json' })).toHaveProperty('jsonBody');
	});

	test('delete: options savePhoneLines and savePhoneNumbers, with the spec defaults', () => {
		const options = shownProperty('options', { resource: 'extension', operation: 'delete' });
		expect(subOption(options, 'savePhoneLines').default).toBe(false);
		expect(subOption(options, 'savePhoneNumbers').default).toBe(true);
	});
});

describe('create or update, and bulk update matching', () => {
	test('createOrUpdate: the fields of Create, matchOn email|extensionNumber, dryRun off, the poll settings', () => {
		const values = { resource: 'extension', operation: 'createOrUpdate' };
		const shown = shownParameters(values);
		expect(shown).toEqual(
			expect.objectContaining({
				specifyBody: 'fields',
				firstName: '',
				email: '',
				extensionType: 'User',
				additionalFields: {},
				matchOn: 'email',
				dryRun: false,
				pollInterval: 5,
				pollTimeout: 600,
			}),
		);
		expect(optionValues(shownProperty('matchOn', values))).toEqual(['email', 'extensionNumber']);
		expect(shownProperty('dryRun', values).description).toMatch(/safe on a live account/);
		expect(shownParameters({ ...values, specifyBody: 'json' })).toHaveProperty('jsonBody');
	});

	test('createOrUpdate: missingExtensions keep (default) | report | disable; scope unless keep; maxDisable 10 with disable', () => {
		const values = { resource: 'extension', operation: 'createOrUpdate' };
		expect(shownParameters(values)).toMatchObject({ missingExtensions: 'keep' });
		expect(shownParameters(values)).not.toHaveProperty('scope');
		expect(shownParameters(values)).not.toHaveProperty('maxDisable');
		expect(optionValues(shownProperty('missingExtensions', values))).toEqual([
			'keep',
			'report',
			'disable',
		]);
		const report = { ...values, missingExtensions: 'report' };
		expect(shownParameters(report)).toHaveProperty('scope');
		expect(shownParameters(report)).not.toHaveProperty('maxDisable');
		const disable = { ...values, missingExtensions: 'disable' };
		expect(shownParameters(disable)).toMatchObject({ scope: {}, maxDisable: 10 });
		const scope = shownProperty('scope', disable);
		expect((scope.options as INodeProperties[]).map(({ name }) => name)).toEqual([
			'types',
			'statuses',
			'departments',
			'exclude',
		]);
		expect(subOption(scope, 'types').default).toEqual(['User']);
		expect(subOption(scope, 'statuses').default).toEqual(['Enabled', 'NotActivated']);
		expect(optionValues(subOption(scope, 'types'))).toEqual(
			expect.arrayContaining([...specSchemas.AllExtensionTypesEnum.enum!]),
		);
	});

	test('bulkUpdate: matchOn id (default) | email | extensionNumber, and dryRun off', () => {
		const values = { resource: 'extension', operation: 'bulkUpdate' };
		expect(shownParameters(values)).toEqual(
			expect.objectContaining({ matchOn: 'id', dryRun: false }),
		);
		expect(optionValues(shownProperty('matchOn', values))).toEqual([
			'id',
			'email',
			'extensionNumber',
		]);
		expect(shownProperty('dryRun', values).description).toMatch(/safe on a live account/);
	});
});

describe('every parameter explains itself', () => {
	// Plain fields whose label says it all; everything else carries a description.
	const SELF_EXPLANATORY = ['firstName', 'lastName', 'company', 'jobTitle'];

	function undescribed(properties: INodeProperties[], path = ''): string[] {
		return properties.flatMap((property) => {
			const name = `${path}${property.name}`;
			const nested = ['collection', 'fixedCollection'].includes(property.type)
				? undescribed(property.options as INodeProperties[], `${name}.`)
				: [];
			const choices = ['options', 'multiOptions'].includes(property.type)
				? (property.options as INodePropertyOptions[])
				: [];
			const describedChoices = choices.length > 0 && choices.every((choice) => choice.description);
			const isContainer = ['collection', 'fixedCollection'].includes(property.type);
			const explained =
				Boolean(property.description) ||
				describedChoices ||
				isContainer ||
				['notice', 'hidden'].includes(property.type) ||
				SELF_EXPLANATORY.includes(property.name);
			return explained ? nested : [name, ...nested];
		});
	}

	test('node parameters', () => {
		expect(undescribed(description.properties)).toEqual([]);
	});

	test('credential fields', () => {
		for (const credential of credentialTypes) {
			const missing = undescribed(credential.properties).filter((name) => name !== 'clientSecret');
			expect({ credential: credential.name, missing }).toEqual({
				credential: credential.name,
				missing: [],
			});
		}
	});

	/** `path.value` of every choice of an options/multiOptions list that has no description. */
	function undescribedChoices(properties: INodeProperties[], path = ''): string[] {
		return properties.flatMap((property) => {
			const name = `${path}${property.name}`;
			if (['collection', 'fixedCollection'].includes(property.type)) {
				const children = (property.options ?? []) as Array<
					INodeProperties & { values?: INodeProperties[] }
				>;
				return children.flatMap((child) =>
					child.values
						? undescribedChoices(child.values, `${name}.${child.name}.`)
						: undescribedChoices([child], `${name}.`),
				);
			}
			if (!['options', 'multiOptions'].includes(property.type)) return [];
			return (property.options as INodePropertyOptions[])
				.filter((choice) => !choice.description)
				.map((choice) => `${name}.${String(choice.value)}`);
		});
	}

	test('every choice of every list is described (Application Extension, Flexible User, Proxy Admin, Room Connector, ...)', () => {
		expect(undescribedChoices(description.properties)).toEqual([]);
		for (const credential of credentialTypes)
			expect(undescribedChoices(credential.properties)).toEqual([]);
		const types = shownProperty('filters', { resource: 'extension', operation: 'getAll' })
			.options as INodeProperties[];
		const typeChoices = types.find((option) => option.name === 'type')
			?.options as INodePropertyOptions[];
		for (const value of ['ApplicationExtension', 'FlexibleUser', 'ProxyAdmin', 'RoomConnector']) {
			expect(typeChoices.find((choice) => choice.value === value)?.description).toBeTruthy();
		}
	});
});

describe('template picker (listSearch searchTemplates) against the fake server', () => {
	const fake = useFakeRingCentral({ seedTemplates: 7 });

	async function searchTemplates(
		server: FakeRingCentral,
		filter?: string,
		paginationToken?: string,
		parameters: INodeParameters = {},
	) {
		return await callListSearch('searchTemplates', accessTokenCredential(server), {
			parameters: { resource: 'userTemplate', operation: 'get', ...parameters },
			path: 'parameters.templateId',
			filter,
			paginationToken,
		});
	}

	test("lists the account's templates by name and type, with their IDs as values", async () => {
		const result = await searchTemplates(fake.server);

		expect(result.results).toHaveLength(7);
		expect(result.results[0]).toEqual({
			name: 'UserSettings template 1 (User Settings)',
			value: '300001',
			description: 'Seeded UserSettings template number 1',
		});
		expect(result.paginationToken).toBeUndefined();
		expect(
			fake.server.requests.map(
				(request) => `${request.method} ${request.path}?${request.rawQuery}`,
			),
		).toEqual(['GET /restapi/v1.0/account/~/templates?page=1&perPage=100']);
	});

	test('filters by name, ignoring case', async () => {
		const result = await searchTemplates(fake.server, 'CALLHANDLING');

		expect(result.results.map((template) => template.value)).toEqual([
			'300002',
			'300004',
			'300006',
		]);
	});

	test('finds a template by its ID', async () => {
		const result = await searchTemplates(fake.server, '300005');

		expect(result.results.map((template) => template.name)).toEqual([
			'UserSettings template 5 (User Settings)',
		]);
	});

	test('reads the account the node is set to', async () => {
		await searchTemplates(fake.server, undefined, undefined, { accountId: '400000001' });

		expect(fake.server.requests.map((request) => request.path)).toEqual([
			'/restapi/v1.0/account/400000001/templates',
		]);
	});

	describe('with more templates than one page holds', () => {
		const many = useFakeRingCentral({ seedTemplates: 130 });

		test('hands the editor a token for the next page, and the next page holds the rest', async () => {
			const first = await searchTemplates(many.server);
			expect(first.results).toHaveLength(100);
			expect(first.paginationToken).toBe('2');

			const second = await searchTemplates(many.server, undefined, first.paginationToken as string);

			expect(second.results).toHaveLength(30);
			expect(second.results[0].value).toBe('300101');
			expect(second.paginationToken).toBeUndefined();
			expect(many.server.requests.map((request) => request.query.page)).toEqual([['1'], ['2']]);
		});
	});
});

describe('icons', () => {
	function iconFiles(icon: unknown, directory: string): { light: string; dark: string } {
		const { light, dark } = icon as { light: string; dark: string };
		return {
			light: join(directory, light.replace(/^file:/, '')),
			dark: join(directory, dark.replace(/^file:/, '')),
		};
	}

	function expectSvgPair({ light, dark }: { light: string; dark: string }): void {
		for (const file of [light, dark]) {
			expect(existsSync(file)).toBe(true);
			const svg = readFileSync(file, 'utf8');
			expect(svg).toMatch(
				/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 60 60"/,
			);
			expect(svg.trim()).toMatch(/<\/svg>$/);
		}
		expect(readFileSync(dark, 'utf8')).not.toBe(readFileSync(light, 'utf8'));
	}

	test('the node has a light and a dark SVG icon', () => {
		expectSvgPair(iconFiles(description.icon, NODE_DIR));
	});

	test.each(credentialTypes.map((credential) => [credential.name, credential]))(
		'%s has a light and a dark SVG icon',
		(_name, credential) => {
			expectSvgPair(iconFiles(credential.icon, join(ROOT, 'credentials')));
		},
	);
});

describe('codex file and documentation links', () => {
	const codex = JSON.parse(
		readFileSync(join(NODE_DIR, 'RingCentralExtensions.node.json'), 'utf8'),
	) as {
		node: string;
		nodeVersion: string;
		codexVersion: string;
		categories: string[];
		alias: string[];
		resources: Record<string, Array<{ url: string }>>;
	};
	// The categories n8n's node panel groups nodes under.
	const N8N_CATEGORIES = [
		'Analytics',
		'Communication',
		'Data & Storage',
		'Development',
		'Finance & Accounting',
		'Marketing',
		'Miscellaneous',
		'Productivity',
		'Sales',
		'Utility',
	];

	test('names the node type and versions', () => {
		expect(codex).toEqual(
			expect.objectContaining({
				node: 'n8n-nodes-ringcentral-extensions.ringCentralExtensions',
				nodeVersion: '1.0',
				codexVersion: '1.0',
			}),
		);
	});

	test("has categories from n8n's node panel, and aliases admins search for", () => {
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const category of codex.categories) expect(N8N_CATEGORIES).toContain(category);
		expect(codex.alias).toEqual(
			expect.arrayContaining(['RingCentral', 'call queue', 'onboarding', 'offboarding']),
		);
	});

	test("links to the node's and the credentials' documentation over HTTPS", () => {
		expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
		expect(codex.resources.credentialDocumentation.length).toBeGreaterThan(0);
		for (const { url } of Object.values(codex.resources).flat()) expect(url).toMatch(/^https:\/\//);
	});

	const REPOSITORY =
		'https://github.com/n8n-nodes-ringcentral-extensions/n8n-nodes-ringcentral-extensions';

	const triggerCodex = JSON.parse(
		readFileSync(
			join(ROOT, 'nodes', 'RingCentralExtensionsTrigger', 'RingCentralExtensionsTrigger.node.json'),
			'utf8',
		),
	) as typeof codex;

	test.each([
		['RingCentral Extensions', codex, 'docs/operations.md'],
		['RingCentral Extensions Trigger', triggerCodex, 'docs/trigger.md'],
	])(
		'%s: the Docs link opens its docs page, even with the query n8n appends (no #anchor before it)',
		(_node, nodeCodex, page) => {
			// n8n 2.41's editor opens `${primaryDocumentation[0].url}?utm_source=n8n_app&...`.
			const [{ url }] = nodeCodex.resources.primaryDocumentation;
			const opened = new URL(
				`${url}?utm_source=n8n_app&utm_medium=node_settings_modal-credential_link`,
			);
			expect(opened.hash).toBe('');
			expect(`${opened.origin}${opened.pathname}`).toBe(`${REPOSITORY}/blob/main/${page}`);
		},
	);

	test('both nodes link the same credential documentation, without an anchor', () => {
		expect(triggerCodex.resources.credentialDocumentation).toEqual(
			codex.resources.credentialDocumentation,
		);
		for (const { url: link } of codex.resources.credentialDocumentation)
			expect(link).not.toContain('#');
	});

	test('every documentation link into the repository lands on a file, and on a heading of it', () => {
		const links = [
			...[codex, triggerCodex].flatMap((nodeCodex) =>
				Object.values(nodeCodex.resources)
					.flat()
					.map(({ url }) => url),
			),
			// n8n opens a credential's own documentation URL unchanged (it adds a query only on docs.n8n.io).
			...credentialTypes.map((credential) => String(credential.documentationUrl)),
		].filter((url) => url.startsWith(`${REPOSITORY}/blob/main/`));
		expect(links.length).toBeGreaterThanOrEqual(8);
		for (const link of links) {
			const [path, anchor] = link.slice(`${REPOSITORY}/blob/main/`.length).split('#');
			expect({ link, exists: existsSync(join(ROOT, path)) }).toEqual({ link, exists: true });
			if (anchor) expect(headingAnchors(readFileSync(join(ROOT, path), 'utf8'))).toContain(anchor);
		}
	});
});

test('schemas.generated.ts is current with the OpenAPI spec (scripts/generate-schemas.js --check)', () => {
	expect(() =>
		execFileSync('node', [join(ROOT, 'scripts', 'generate-schemas.js'), '--check'], {
			cwd: ROOT,
			stdio: 'pipe',
		}),
	).not.toThrow();
});
