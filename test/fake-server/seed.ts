import type { ExtensionRecord, TemplateRecord } from './types';

export const FIRST_EXTENSION_ID = 100001;
export const FIRST_EXTENSION_NUMBER = 101;
const FIRST_TEMPLATE_ID = 300001;
const SEED_EPOCH = Date.UTC(2024, 0, 15, 9, 0, 0);
const HOUR_MS = 3_600_000;

const FIRST_NAMES = [
	'Alice',
	'Bob',
	'Carol',
	'David',
	'Erin',
	'Frank',
	'Grace',
	'Heidi',
	'Ivan',
	'Judy',
];
const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller'];
const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance'];
// The first extension is the token owner: an enabled admin user.
const STATUSES = ['Enabled', 'Enabled', 'Disabled', 'NotActivated', 'Enabled', 'Frozen'];
const TYPES = [
	'User',
	'User',
	'User',
	'Department',
	'User',
	'Announcement',
	'User',
	'Voicemail',
	'DigitalUser',
	'User',
];
const TEMPLATE_TYPES = ['UserSettings', 'CallHandling'];

/** The part of every URI that identifies the account: `<baseUrl>/restapi/v1.0/account/<id>`. */
export function accountUri(baseUrl: string, accountId: string): string {
	return `${baseUrl}/restapi/v1.0/account/${accountId}`;
}

export function defaultRegionalSettings(): Record<string, unknown> {
	return {
		homeCountry: { id: '1', name: 'United States', isoCode: 'US', callingCode: '1' },
		timezone: {
			id: '58',
			name: 'US/Eastern',
			description: 'Eastern Time (US & Canada)',
			bias: '-300',
		},
		language: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
		greetingLanguage: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
		formattingLocale: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
		timeFormat: '12h',
	};
}

export function seedExtensions(
	count: number,
	baseUrl: string,
	accountId: string,
): ExtensionRecord[] {
	return Array.from({ length: count }, (_, index) => seedExtension(index, baseUrl, accountId));
}

function seedExtension(index: number, baseUrl: string, accountId: string): ExtensionRecord {
	const id = FIRST_EXTENSION_ID + index;
	const type = TYPES[index % TYPES.length];
	const status = STATUSES[index % STATUSES.length];
	const firstName = FIRST_NAMES[index % FIRST_NAMES.length];
	const lastName = LAST_NAMES[index % LAST_NAMES.length];
	const name = type === 'User' ? `${firstName} ${lastName}` : `${type} ${index + 1}`;
	const extensionUri = `${accountUri(baseUrl, accountId)}/extension/${id}`;
	return {
		id,
		uri: extensionUri,
		extensionNumber: String(FIRST_EXTENSION_NUMBER + index),
		name,
		type,
		status,
		...(status === 'Disabled' && { statusInfo: { reason: 'Voluntarily', comment: 'On leave' } }),
		contact: {
			firstName: type === 'User' ? firstName : name,
			...(type === 'User' && { lastName, jobTitle: 'Specialist' }),
			email: `user${index + 1}@example.com`,
			company: 'Example Corp',
			businessPhone: `+1650555${String(1000 + index).padStart(4, '0')}`,
			department: DEPARTMENTS[index % DEPARTMENTS.length],
			emailAsLoginName: index % 2 === 0,
		},
		account: { id: accountId, uri: accountUri(baseUrl, accountId) },
		permissions: {
			admin: { enabled: index === 0 },
			internationalCalling: { enabled: index % 3 === 0 },
		},
		profileImage: { uri: `${extensionUri}/profile-image` },
		regionalSettings: defaultRegionalSettings(),
		setupWizardState: status === 'NotActivated' ? 'NotStarted' : 'Completed',
		hidden: false,
		creationTime: new Date(SEED_EPOCH + index * HOUR_MS).toISOString(),
		costCenter: { id: '1', name: 'Main cost center' },
	};
}

export function seedTemplates(count: number, baseUrl: string, accountId: string): TemplateRecord[] {
	return Array.from({ length: count }, (_, index) => {
		const id = String(FIRST_TEMPLATE_ID + index);
		const type = TEMPLATE_TYPES[index % TEMPLATE_TYPES.length];
		const time = new Date(SEED_EPOCH + index * HOUR_MS).toISOString();
		return {
			id,
			uri: `${accountUri(baseUrl, accountId)}/templates/${id}`,
			type,
			name: `${type} template ${index + 1}`,
			description: `Seeded ${type} template number ${index + 1}`,
			creationTime: time,
			lastModifiedTime: time,
		};
	});
}
