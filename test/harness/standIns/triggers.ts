import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { unsupported } from './unsupported';

/** n8n-nodes-base.manualTrigger v1: on a manual run, emits one empty item. */
export class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger (test stand-in)',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		maxNodes: 1,
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return { manualTriggerFunction: async () => this.emit([this.helpers.returnJsonArray([{}])]) };
	}
}

const SUPPORTED_INTERVALS = ['days', 'hours', 'weeks', 'cronExpression'];

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

/** The fields n8n's Schedule Trigger emits, in the workflow's time zone. */
function scheduleItem(timezone: string, now = new Date()): IDataObject {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone: timezone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'long',
			day: 'numeric',
			weekday: 'long',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		})
			.formatToParts(now)
			.map((part) => [part.type, part.value]),
	);
	const offset = new Intl.DateTimeFormat('en-US', {
		timeZone: timezone,
		timeZoneName: 'longOffset',
	})
		.formatToParts(now)
		.find((part) => part.type === 'timeZoneName')!
		.value.replace(/^GMT$/, 'GMT+00:00')
		.replace('GMT', '');
	const hour = Number(parts.hour);
	const time = `${hour % 12 || 12}:${pad(Number(parts.minute))}:${pad(Number(parts.second))} ${hour < 12 ? 'am' : 'pm'}`;
	return {
		timestamp: now.toISOString(),
		'Readable date': `${parts.month} ${parts.day} ${parts.year}, ${time}`,
		'Readable time': time,
		'Day of week': parts.weekday,
		Year: parts.year,
		Month: parts.month,
		'Day of month': pad(Number(parts.day)),
		Hour: pad(hour),
		Minute: pad(Number(parts.minute)),
		Second: pad(Number(parts.second)),
		Timezone: `${timezone} (UTC${offset})`,
	};
}

/**
 * n8n-nodes-base.scheduleTrigger v1.2: a manual run (the editor's "Execute workflow", or a test)
 * fires once at once and emits the current date and time. Cron registration, which only happens
 * when a workflow is active, is not part of the stand-in.
 */
export class ScheduleTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Schedule Trigger (test stand-in)',
		name: 'scheduleTrigger',
		group: ['trigger', 'schedule'],
		version: [1, 1.1, 1.2],
		description: 'Triggers the workflow on a given schedule',
		defaults: { name: 'Schedule Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Trigger Rules',
				name: 'rule',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: { interval: [{ field: 'days' }] },
				options: [
					{
						name: 'interval',
						displayName: 'Trigger Interval',
						values: [
							{ displayName: 'Trigger Interval', name: 'field', type: 'string', default: 'days' },
							{
								displayName: 'Days Between Triggers',
								name: 'daysInterval',
								type: 'number',
								default: 1,
							},
							{ displayName: 'Trigger at Hour', name: 'triggerAtHour', type: 'number', default: 0 },
							{
								displayName: 'Trigger at Minute',
								name: 'triggerAtMinute',
								type: 'number',
								default: 0,
							},
							{ displayName: 'Expression', name: 'expression', type: 'string', default: '' },
						],
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const { interval = [] } = this.getNodeParameter('rule', {}) as { interval?: IDataObject[] };
		for (const rule of interval) {
			if (!SUPPORTED_INTERVALS.includes(String(rule.field)))
				throw unsupported(this.getNode(), `interval "${String(rule.field)}"`);
		}
		if (this.getMode() !== 'manual') throw unsupported(this.getNode(), 'scheduled (active) runs');
		return {
			manualTriggerFunction: async () =>
				this.emit([this.helpers.returnJsonArray([scheduleItem(this.getTimezone())])]),
		};
	}
}

/** n8n-nodes-base.stickyNote v1: a note on the canvas; it is never executed. */
export class StickyNoteStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sticky Note (test stand-in)',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'Make your workflow easier to understand',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [
			{ displayName: 'Content', name: 'content', type: 'string', default: '' },
			{ displayName: 'Height', name: 'height', type: 'number', default: 160 },
			{ displayName: 'Width', name: 'width', type: 'number', default: 240 },
			{ displayName: 'Color', name: 'color', type: 'number', default: 1 },
		],
	};
}
