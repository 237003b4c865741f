/** One entry of a RingCentral `errors` list: of an API error, or of a bulk-update record's outcome. */
export interface RingCentralErrorEntry {
	errorCode?: unknown;
	message?: unknown;
	parameterName?: unknown;
}

/**
 * The one wording of a RingCentral failure reason, wherever it is reported (an API error's
 * description, a failed task, a record a task did not update): `CMN-101 [email] Parameter is in use`.
 */
export function failureReason(entry: RingCentralErrorEntry): string {
	return [entry.errorCode, entry.parameterName && `[${String(entry.parameterName)}]`, entry.message]
		.filter(Boolean)
		.map(String)
		.join(' ');
}
