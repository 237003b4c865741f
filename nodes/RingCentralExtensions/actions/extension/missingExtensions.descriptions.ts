import type { INodeProperties } from 'n8n-workflow';

import { extensionStatusOptions, extensionTypeOptions } from '../../../shared/helpers/options';
import { MAX_DISABLE_DEFAULT, SCOPE_DEFAULTS } from '../../helpers/provisioning/scope';

/**
 * Create or Update's parameters for the extensions no input item names (the leavers, when the
 * input is the whole HR list): Missing Extensions, Scope and Max Disable.
 */
export const missingExtensionsProperties: INodeProperties[] = [
	{
		displayName: 'Missing Extensions',
		name: 'missingExtensions',
		type: 'options',
		default: 'keep',
		description:
			'What to do with the extensions in scope that no input item matches. Report and Disable need the input to be the whole list of people (e.g. every HR row).',
		options: [
			{
				name: 'Keep',
				value: 'keep',
				description: 'Leave them alone; they are not read',
			},
			{
				name: 'Report',
				value: 'report',
				description: 'Output one item per such extension (action "missing"); write nothing to them',
			},
			{
				name: 'Disable',
				value: 'disable',
				description:
					'Set their status to Disabled (action "disabled"), in the same run as the creates and updates',
			},
		],
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'collection',
		placeholder: 'Add Scope Field',
		default: {},
		description:
			'Whose absence from the input counts. By default: users (no call queues, IVR menus, rooms, park locations…) that are Enabled or Not Activated.',
		displayOptions: { show: { missingExtensions: ['report', 'disable'] } },
		options: [
			{
				displayName: 'Types',
				name: 'types',
				type: 'multiOptions',
				options: extensionTypeOptions,
				default: [...SCOPE_DEFAULTS.types],
				description: 'Only extensions of these types (default: User)',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: extensionStatusOptions,
				default: [...SCOPE_DEFAULTS.statuses],
				description: 'Only extensions in these statuses (default: Enabled and Not Activated)',
			},
			{
				displayName: 'Departments',
				name: 'departments',
				type: 'string',
				default: '',
				placeholder: 'Sales, Support',
				description:
					'Only extensions whose department is one of these (without regard to case); separate several with commas',
			},
			{
				displayName: 'Exclude',
				name: 'exclude',
				type: 'string',
				default: '',
				placeholder: 'admin@example.com, 101, 62123456004',
				description:
					'Extensions never reported or disabled, e.g. break-glass admins and shared phones: emails, extension numbers or IDs, separated by commas. The extension the credential signs in as is always left out.',
			},
		],
	},
	{
		displayName: 'Max Disable',
		name: 'maxDisable',
		type: 'number',
		default: MAX_DISABLE_DEFAULT,
		typeOptions: { minValue: 0 },
		description:
			'When a run would disable more extensions than this, it writes nothing at all (no create, update or disable) and stops with an error naming them, so that an empty or cut-off list never switches off the company. A preview is never refused.',
		displayOptions: { show: { missingExtensions: ['disable'] } },
	},
];
