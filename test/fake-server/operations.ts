import { resourceNotFound } from './errors';
import {
	applyExtensionUpdate,
	createExtension,
	deleteExtension,
	filterExtensions,
	findExtension,
	updateExtension,
	type AccountLocation,
	type ExtensionCreationRequest,
} from './extensions';
import type { ExtensionEvents } from './events';
import type { Reply } from './http';
import { pageLinker, pageRequestFrom, paginate } from './paging';
import { accountUri } from './seed';
import { BulkUpdateTasks } from './tasks';
import type { AffectedItemsShape, BulkUpdateRecord, FakeState, TaskProgressOptions } from './types';

/** A request to an operation, already authenticated and validated. */
export interface OperationRequest {
	params: Record<string, string>;
	query: Record<string, string[]>;
	body: unknown;
}

export interface ApiSettings extends AccountLocation {
	navigationBaseUrl: string;
	task: TaskProgressOptions;
	affectedItemsShape: AffectedItemsShape;
	/** Extension id of the token owner ("~" in /extension/~). */
	ownerId: string;
	/** Every change of an extension is emitted here, for the subscriptions (events.ts). */
	events: Pick<ExtensionEvents, 'emit'>;
}

/** Answers the body of a 200; failures are thrown as ApiError. */
type OperationHandler = (request: OperationRequest) => unknown;

/** The RingCentral operations the fake implements, keyed by operationId. */
export class RingCentralApi {
	readonly tasks: BulkUpdateTasks;
	private readonly handlers: Record<string, OperationHandler> = {
		listExtensions: ({ query }) => this.listExtensions(query),
		createExtension: ({ body }) => {
			const created = createExtension(
				this.state.extensions,
				body as ExtensionCreationRequest,
				this.settings,
			);
			this.settings.events.emit('Create', created.id);
			return created;
		},
		extensionBulkUpdate: ({ body }) =>
			this.tasks.create((body as { records: BulkUpdateRecord[] }).records),
		getExtensionBulkUpdateTask: ({ params }) => this.tasks.poll(params.taskId),
		listUserTemplates: ({ query }) => this.listUserTemplates(query),
		readUserTemplate: ({ params }) => this.readUserTemplate(params.templateId),
		readCurrentExtension: () => this.readCurrentExtension(),
		readExtension: ({ params }) => this.readExtension(params.extensionId),
		updateExtension: ({ params, body }) => {
			const extensionId = this.extensionIdOf(params.extensionId);
			const updated = updateExtension(
				this.state.extensions,
				extensionId,
				body as Record<string, unknown>,
			);
			this.settings.events.emit('Update', extensionId);
			return updated;
		},
		deleteExtension: ({ params }) => {
			const extensionId = this.extensionIdOf(params.extensionId);
			deleteExtension(this.state.extensions, extensionId);
			this.settings.events.emit('Delete', extensionId);
			return undefined;
		},
	};

	/** Operations whose success is not a 200 with a body. */
	private readonly successStatus: Record<string, number> = { deleteExtension: 204 };

	constructor(
		private readonly state: FakeState,
		private readonly settings: ApiSettings,
	) {
		this.tasks = new BulkUpdateTasks(state.tasks, {
			progress: settings.task,
			affectedItemsShape: settings.affectedItemsShape,
			accountUri: accountUri(settings.baseUrl, settings.accountId),
			apply: (records) =>
				records.map((record) => {
					const result = applyExtensionUpdate(this.state.extensions, record);
					if (result.status === 'Success') this.settings.events.emit('Update', result.extensionId);
					return result;
				}),
		});
	}

	handle(operationId: string, request: OperationRequest): Reply {
		this.checkAccount(request.params.accountId);
		this.tasks.advanceByClock();
		const body = this.handlers[operationId](request);
		return { status: this.successStatus[operationId] ?? 200, body };
	}

	private checkAccount(accountId: string): void {
		if (accountId !== '~' && accountId !== this.settings.accountId) {
			throw resourceNotFound('accountId');
		}
	}

	private listExtensions(query: Record<string, string[]>): object {
		const records = filterExtensions(this.state.extensions, {
			extensionNumber: query.extensionNumber?.[0],
			email: query.email,
			status: query.status,
			type: query.type,
		});
		return this.page(records, '/extension', query);
	}

	private listUserTemplates(query: Record<string, string[]>): object {
		const type = query.type?.[0];
		const records = this.state.templates.filter(
			(template) => type === undefined || template.type === type,
		);
		return this.page(records, '/templates', query);
	}

	private readCurrentExtension(): object {
		const owner = findExtension(this.state.extensions, this.settings.ownerId);
		if (!owner) throw resourceNotFound('extensionId');
		return owner;
	}

	/** "~" is the extension the token belongs to. */
	private extensionIdOf(extensionId: string): string {
		return extensionId === '~' ? this.settings.ownerId : extensionId;
	}

	private readExtension(extensionId: string): object {
		const extension = findExtension(this.state.extensions, this.extensionIdOf(extensionId));
		if (!extension) throw resourceNotFound('extensionId');
		return extension;
	}

	private readUserTemplate(templateId: string): object {
		const template = this.state.templates.find((candidate) => candidate.id === templateId);
		if (!template) throw resourceNotFound('templateId');
		return template;
	}

	/** Navigation links use the canonical account id and keep the request's filters. */
	private page<T>(records: T[], resource: string, query: Record<string, string[]>): object {
		const path = `/restapi/v1.0/account/${this.settings.accountId}${resource}`;
		return paginate(
			records,
			pageRequestFrom(query),
			pageLinker(this.settings.navigationBaseUrl, path, query),
		);
	}
}
