import { NodeOperationError, type INode } from 'n8n-workflow';

/** A stand-in was asked for behaviour it does not implement: fail loudly rather than guess. */
export function unsupported(node: INode, what: string): NodeOperationError {
	return new NodeOperationError(
		node,
		`The test stand-in for ${node.type} does not implement ${what}. Implement it in test/harness/standIns, mirroring n8n's node.`,
	);
}
