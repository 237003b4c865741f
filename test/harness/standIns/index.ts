import type { INodeType } from 'n8n-workflow';

import { ConvertToFileStandIn } from './convertToFile';
import { MergeStandIn } from './merge';
import { SetStandIn } from './set';
import { SplitOutStandIn } from './splitOut';
import { ManualTriggerStandIn, ScheduleTriggerStandIn, StickyNoteStandIn } from './triggers';

/** Stand-ins for the n8n core nodes the examples use, by node type (see README.md here). */
export const standInNodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTriggerStandIn(),
	'n8n-nodes-base.scheduleTrigger': new ScheduleTriggerStandIn(),
	'n8n-nodes-base.stickyNote': new StickyNoteStandIn(),
	'n8n-nodes-base.set': new SetStandIn(),
	'n8n-nodes-base.splitOut': new SplitOutStandIn(),
	'n8n-nodes-base.merge': new MergeStandIn(),
	'n8n-nodes-base.convertToFile': new ConvertToFileStandIn(),
};
