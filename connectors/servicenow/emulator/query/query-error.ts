// Errors of the shared encoded-query module (CW_SN_QUERY_*: unparseable text, a term the
// evaluator refuses, a malformed related-list or join term): every API answers them the same way,
// 400 "Invalid query".
export const isQueryError = (err: unknown): err is Error & { code: string } =>
  err instanceof Error && 'code' in err && String(err.code).startsWith('CW_SN_QUERY')
