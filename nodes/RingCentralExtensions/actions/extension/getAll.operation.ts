import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { specEnums } from '../../../shared/helpers/schemas.generated';
import { extensionStatusOptions, extensionTypeOptions } from '../../../shared/helpers/options';
import { accountIdOf, listLimitOf } from '../../../shared/helpers/parameters';
import { Filters } from '../../../shared/helpers/filters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { ringCentralApiRequestAllItems } from '../../../shared/transport';
import { FILTER_LIMITS } from '../../helpers/matching/keys';
import { limitProperty, returnAllProperty } from '../common.descriptions';

const show = { resource: ['extension'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	returnAllProperty(show),
	limitProperty(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'alice@example.com, bob@example.com',
				description: 'Only extensions with this email address; separate several with commas',
			},
			{
				displayName: 'Extension Number',
				name: 'extensionNumber',
				type: 'string',
				default: '',
				placeholder: '101',
				description: 'Only the extension with this short number',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: extensionStatusOptions,
				default: [],
				description: 'Only extensions in one of these statuses',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'multiOptions',
				options: extensionTypeOptions,
				default: [],
				description: 'Only extensions of one of these types. Call queues are "Department".',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const { emailsPerRequest: MAX_EMAILS, emailLength, extensionNumberLength } = FILTER_LIMITS;

/** Turns the filters into query parameters; several values become repeated keys. */
function filterQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = new Filters(ctx, itemIndex);
	const qs: IDataObject = {};
	const extensionNumber = filters.text('extensionNumber', { numbers: true });
	if (extensionNumber !== undefined) {
		if (extensionNumber.length > extensionNumberLength) {
			throw inputError(
				ctx,
				itemIndex,
				'filters.extensionNumber',
				`must be at most ${extensionNumberLength} characters`,
			);
		}
		qs.extensionNumber = extensionNumber;
	}
	const emails = filters.list('email') ?? [];
	if (emails.length > MAX_EMAILS) {
		throw inputError(ctx, itemIndex, 'filters.email', `at most ${MAX_EMAILS} addresses at once`);
	}
	const tooLong = emails.find((email) => email.length > emailLength);
	if (tooLong)
		throw inputError(
			ctx,
			itemIndex,
			'filters.email',
			`"${tooLong.slice(0, 40)}…" is longer than ${emailLength} characters`,
		);
	if (emails.length > 0) qs.email = emails;
	qs.status = filters.choices('status', specEnums.extensionStatus);
	qs.type = filters.choices('type', specEnums.extensionType);
	return Object.fromEntries(Object.entries(qs).filter(([, value]) => value !== undefined));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = listLimitOf(this, itemIndex);
	return await ringCentralApiRequestAllItems(this, {
		method: 'GET',
		accountId: accountIdOf(this, itemIndex),
		path: '/extension',
		group: 'Medium',
		qs: filterQuery(this, itemIndex),
		limit,
		itemIndex,
	});
}
