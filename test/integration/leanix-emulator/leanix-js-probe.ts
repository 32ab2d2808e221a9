// Runs LeanIX's own JS client (npm leanix-js) against a LeanIX host given in the environment and
// prints what it saw as JSON. Started as a child process by leanix-js.test.ts, so that
// NODE_EXTRA_CA_CERTS (read only at process start) can make it trust the test certificate.
import { Authenticator, GraphQLClient } from 'leanix-js'

const host = process.env.LEANIX_HOST ?? ''
const apitoken = process.env.LEANIX_API_TOKEN ?? ''

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error))

const result: Record<string, unknown> = {}
const authenticator = new Authenticator({ host, apitoken })
try {
  await authenticator.start()
  result.workspaceId = authenticator.workspaceId
  result.workspaceName = authenticator.workspaceName
  result.expiresIn = authenticator.authResponse?.expires_in
  const client = new GraphQLClient(authenticator)
  result.query = await client.executeGraphQL(
    `query($type: FactSheetType) { allFactSheets(factSheetType: $type, first: 3) { totalCount edges { node { id name type } } } }`,
    { type: 'Application' },
  )
  result.mutation = await client.executeGraphQL(
    `mutation($input: BaseFactSheetInput!, $patches: [Patch]) { createFactSheet(input: $input, patches: $patches) { factSheet { id rev name description } } }`,
    {
      input: { name: 'Created by leanix-js', type: 'Application' },
      patches: [{ op: 'replace', path: '/description', value: 'via leanix-js' }],
    },
  )
  try {
    await client.executeGraphQL('{ allFactSheets { edges { node { notAField } } } }')
    result.graphqlError = null
  } catch (error) {
    result.graphqlError = errorText(error)
  }
} catch (error) {
  result.error = errorText(error)
} finally {
  authenticator.stop()
}

const rejected = new Authenticator({ host, apitoken: 'not-a-valid-token' })
try {
  await rejected.start()
  result.badToken = 'accepted'
} catch (error) {
  result.badToken = errorText(error)
} finally {
  rejected.stop()
}

process.stdout.write(JSON.stringify(result))
