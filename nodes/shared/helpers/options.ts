import type { INodePropertyOptions } from 'n8n-workflow';

import { requestSchemas } from './schemas.generated';

/** Extension statuses (ExtensionStatusEnumFull), in the words admins use. */
export const extensionStatusOptions: INodePropertyOptions[] = [
	{ name: 'Enabled', value: 'Enabled', description: 'Active and able to make and take calls' },
	{ name: 'Disabled', value: 'Disabled', description: 'Switched off, e.g. a leaver' },
	{
		name: 'Frozen',
		value: 'Frozen',
		description: 'Suspended, usually for a billing or security reason',
	},
	{
		name: 'Not Activated',
		value: 'NotActivated',
		description: 'Created, but the user has not accepted the welcome email yet',
	},
	{ name: 'Unassigned', value: 'Unassigned', description: 'Has no extension number assigned' },
];

/** Every extension type (AllExtensionTypesEnum). */
export const extensionTypeOptions: INodePropertyOptions[] = [
	{
		name: 'Announcement Only',
		value: 'Announcement',
		description: 'Plays a message, takes no calls',
	},
	{
		name: 'Application Extension',
		value: 'ApplicationExtension',
		description: 'An extension that an app or integration uses, not a person',
	},
	{ name: 'Bot', value: 'Bot', description: 'A bot in RingCentral team messaging' },
	{
		name: 'Call Queue (Department)',
		value: 'Department',
		description: 'A call queue; the API calls it Department',
	},
	{
		name: 'Delegated Lines Group',
		value: 'DelegatedLinesGroup',
		description: 'Lines an assistant answers on behalf of others',
	},
	{
		name: 'Digital User',
		value: 'DigitalUser',
		description: 'Places calls and faxes, with desk phones',
	},
	{ name: 'Fax User', value: 'FaxUser', description: 'Sends and receives faxes only' },
	{
		name: 'Flexible User',
		value: 'FlexibleUser',
		description: "A user on RingCentral's Flexible User licence, an alternative to User",
	},
	{
		name: 'Group Call Pickup',
		value: 'GroupCallPickup',
		description: "Members can answer each other's ringing phones",
	},
	{ name: 'IVR Menu', value: 'IvrMenu', description: 'An auto-receptionist menu' },
	{
		name: 'Limited Extension',
		value: 'Limited',
		description: 'A common-area phone, e.g. a lobby phone',
	},
	{ name: 'Message Only (Voicemail)', value: 'Voicemail', description: 'Takes voicemail only' },
	{ name: 'Paging Only', value: 'PagingOnly', description: 'A paging group' },
	{
		name: 'Park Location',
		value: 'ParkLocation',
		description: 'Where calls are parked for members of a group to pick up',
	},
	{
		name: 'Proxy Admin',
		value: 'ProxyAdmin',
		description: 'An admin login a partner or reseller uses to manage the account; no phone',
	},
	{ name: 'Room', value: 'Room', description: 'A RingCentral Rooms meeting room' },
	{
		name: 'Room Connector',
		value: 'RoomConnector',
		description: 'Connects a SIP or H.323 meeting-room system to RingCentral Video',
	},
	{
		name: 'Shared Lines Group',
		value: 'SharedLinesGroup',
		description: 'Several phones that answer one number, e.g. a front desk',
	},
	{ name: 'Site', value: 'Site', description: 'A site of a multi-site account' },
	{ name: 'Tie Line', value: 'TieLine', description: 'A link to another phone system' },
	{ name: 'Unknown', value: 'Unknown', description: 'A type RingCentral does not name' },
	{ name: 'User', value: 'User', description: 'A person with a phone number and a login' },
	{
		name: 'Virtual User',
		value: 'VirtualUser',
		description: 'Places calls and faxes, without a desk phone',
	},
];

/** The extension types that can be created (the create request's `type` enum). */
export const creatableExtensionTypeOptions = extensionTypeOptions.filter((option) =>
	(requestSchemas.extensionCreationRequest.properties.type.enum as readonly unknown[]).includes(
		option.value,
	),
);

/** User template types (TemplateType). */
export const templateTypeOptions: INodePropertyOptions[] = [
	{
		name: 'Call Handling',
		value: 'CallHandling',
		description: 'Call handling and forwarding rules for users',
	},
	{
		name: 'Call Queue Call Handling',
		value: 'CallQueueCallHandling',
		description: 'Call handling rules for call queues',
	},
	{
		name: 'Call Queue Settings',
		value: 'CallQueueSettings',
		description: 'Settings applied to new call queues',
	},
	{ name: 'Key Templates', value: 'KeyTemplates', description: 'Phone key layouts' },
	{
		name: 'Limited Extensions',
		value: 'LimitedExtensions',
		description: 'Settings for common-area phones (limited extensions)',
	},
	{
		name: 'Site Call Handling',
		value: 'SiteCallHandling',
		description: 'Call handling rules for the sites of a multi-site account',
	},
	{ name: 'User Settings', value: 'UserSettings', description: 'Settings applied to new users' },
];
