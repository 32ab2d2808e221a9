// POST /oauth/token as an operation of the IdentityNow-compatible API's OpenAPI document. The body
// is read by the route itself (form, multipart or Basic, as SailPoint's tools send it), so it is
// described here in words rather than validated by a schema.
export const TOKEN_OPERATION = {
  tags: ['IdentityNow: OAuth'],
  operationId: 'createOAuthToken',
  summary: 'Get an access token with client credentials',
  description:
    'grant_type=client_credentials with client_id and client_secret in an application/x-www-form-urlencoded ' +
    'or multipart/form-data body, or in a Basic Authorization header, as IdentityNow takes them ' +
    '(https://developer.sailpoint.com/docs/api/authentication); never in the query string. The client is ' +
    'one the hub issued (POST /api/v1/identitynow/api-clients).',
}
