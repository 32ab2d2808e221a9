// The platform's error envelope and the exact messages real instances answer with
// (docs/reference/servicenow.md §1.5): {"error":{"message","detail"},"status":"failure"}.

export interface ErrorEnvelope {
  error: { message: string; detail: string | null }
  status: 'failure'
}

export interface SnError {
  statusCode: number
  body: ErrorEnvelope
  headers?: Record<string, string>
}

export const snError = (statusCode: number, message: string, detail: string | null): SnError => ({
  statusCode,
  body: { error: { message, detail }, status: 'failure' },
})

export const SnErrors = {
  notAuthenticated: (): SnError => ({
    ...snError(401, 'User Not Authenticated', 'Required to provide Auth information'),
    headers: { 'www-authenticate': 'BASIC realm="Service-now"' },
  }),
  invalidTable: (table: string): SnError => snError(400, `Invalid table ${table}`, null),
  recordNotFound: (): SnError =>
    snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  /** v1 list with no match answers 404 (documented v1/v2 difference) */
  noRecordsMatch: (): SnError =>
    snError(404, 'No Record found', 'Records matching query not found. Check query parameter or offset parameter'),
  readDenied: (): SnError => snError(403, 'Insufficient rights to query records', null),
  writeDenied: (operation: 'Insert' | 'Update' | 'Delete'): SnError =>
    snError(403, 'Operation Failed', `ACL Exception ${operation} Failed due to security constraints`),
  noResource: (): SnError => snError(400, 'Requested URI does not represent any resource', null),
  methodNotSupported: (method: string): SnError =>
    snError(405, 'Method not Supported', `${method} method not supported for API`),
  badRequestBody: (detail: string): SnError => snError(400, 'Exception while reading request', detail),
  mandatoryMissing: (fields: string[]): SnError =>
    snError(
      403,
      'Operation Failed',
      `Data Policy Exception: \n\tThe following fields are mandatory: ${fields.join(', ')}`,
    ),
  /** an insert naming a sys_id that is taken [unverified text: the platform's unique-key failure] */
  duplicateSysId: (table: string, sysId: string): SnError =>
    snError(403, 'Operation Failed', `Error during insert of ${table} (${sysId}): duplicate sys_id`),
  /** a table or column the dictionary refuses (bad or taken name, no such table) [unverified text] */
  dictionaryRefused: (detail: string): SnError => snError(403, 'Operation Failed', detail),
  invalidQuery: (detail: string): SnError => snError(400, 'Invalid query', detail),
  notAcceptable: (accept: string): SnError =>
    snError(406, 'Requested response format is not supported', `Accept header ${accept} is not supported`),
  contentTypeRequired: (): SnError => snError(400, 'Invalid request', 'Request header Content-Type is required'),
  unsupportedMediaType: (type: string): SnError =>
    snError(415, 'Unsupported Media Type', `Content-Type ${type} is not supported`),
  rateLimited: (limit: number, resource: string): SnError =>
    snError(429, 'Rate limit exceeded', `Rate limit of ${limit} requests per hour for ${resource} exceeded`),
  tooManyRequests: (): SnError =>
    snError(429, 'Too Many Requests', 'Maximum number of concurrent API_INT transactions reached, request rejected'),
  transactionCancelled: (): SnError =>
    snError(
      500,
      'Transaction cancelled: maximum execution time exceeded',
      'Transaction cancelled: maximum execution time exceeded Check logs for error trace or enable glide.rest.debug property to verify REST request processing',
    ),
  internal: (status = 500): SnError => snError(status, 'Internal server error', 'An unexpected error occurred'),
}
