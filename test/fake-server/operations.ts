import { resourceNotFound } from './errors';
import {
	applyExtensionUpdate,
	createExtension,
	filterExtensions,
	findExtension,
	type AccountLocation,
	type ExtensionCreationRequest,
} from './extensions';
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
}

type OperationHandler = (request: OperationRequest) => Reply;

/** The RingCentral operations the fake implements, keyed by operationId. */
export class RingCentralApi {
	readonly tasks: BulkUpdateTasks;
	private readonly handlers: Record<string, OperationHandler> = {
		listExtensions: (request) => this.listExtensions(request),
		createExtension: (request) =>
			ok(
				createExtension(
					this.state.extensions,
					request.body as ExtensionCreationRequest,
					this.settings,
				),
			),
		extensionBulkUpdate: (request) =>
			ok(this.tasks.create((request.body as { records: BulkUpdateRecord[] }).records)),
		getExtensionBulkUpdateTask: (request) => ok(this.tasks.poll(request.params.taskId)),
		listUserTemplates: (request) => this.listUserTemplates(request),
		readUserTemplate: (request) => ok(this.readUserTemplate(request.params.templateId)),
		readCurrentExtension: () => ok(this.readCurrentExtension()),
	};

	constructor(
		private readonly state: FakeState,
		private readonly settings: ApiSettings,
	) {
		this.tasks = new BulkUpdateTasks(state.tasks, {
			progress: settings.task,
			affectedItemsShape: settings.affectedItemsShape,
			accountUri: accountUri(settings.baseUrl, settings.accountId),
			apply: (records) =>
				records.map((record) => applyExtensionUpdate(this.state.extensions, record)),
		});
	}

	handle(operationId: string, request: OperationRequest): Reply {
		this.checkAccount(request.params.accountId);
		this.tasks.advanceByClock();
		return this.handlers[operationId](request);
	}

	private checkAccount(accountId: string): void {
		if (accountId !== '~' && accountId !== this.settings.accountId)
			throw resourceNotFound('accountId');
	}

	private listExtensions({ query }: OperationRequest): Reply {
		const records = filterExtensions(this.state.extensions, {
			extensionNumber: query.extensionNumber?.[0],
			email: query.email,
			status: query.status,
			type: query.type,
		});
		return ok(this.page(records, '/extension', query));
	}

	private listUserTemplates({ query }: OperationRequest): Reply {
		const type = query.type?.[0];
		const records = this.state.templates.filter(
			(template) => type === undefined || template.type === type,
		);
		return ok(this.page(records, '/templates', query));
	}

	private readCurrentExtension(): object {
		const owner = findExtension(this.state.extensions, this.settings.ownerId);
		if (!owner) throw resourceNotFound('extensionId');
		return owner;
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

function ok(body: unknown): Reply {
	return { status: 200, body };
}
