import type { ErrorEntity } from './types';

export interface ErrorBody {
	errorCode: string;
	message: string;
	errors: ErrorEntity[];
}

/** Thrown anywhere while handling a request; the server answers it as a RingCentral error. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: object,
		readonly headers: Record<string, string> = {},
	) {
		super(`${status} ${JSON.stringify(body)}`);
	}
}

export function errorBody(errorCode: string, message: string, errors?: ErrorEntity[]): ErrorBody {
	return { errorCode, message, errors: errors ?? [{ errorCode, message }] };
}

/** 400 CMN-101 carrying every offending parameter; the first one gives the top-level message. */
export function invalidParameters(errors: ErrorEntity[]): ApiError {
	return new ApiError(400, errorBody('CMN-101', errors[0].message, errors));
}

export function invalidParameter(parameterName: string, message?: string): ApiError {
	return invalidParameters([
		{
			errorCode: 'CMN-101',
			message: message ?? `Parameter [${parameterName}] value is invalid`,
			parameterName,
		},
	]);
}

export function resourceNotFound(parameterName: string): ApiError {
	const message = `Resource for parameter [${parameterName}] is not found`;
	return new ApiError(
		404,
		errorBody('CMN-102', message, [{ errorCode: 'CMN-102', message, parameterName }]),
	);
}
