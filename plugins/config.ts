// Makes the validated configuration available as `app.config`.
import fp from 'fastify-plugin'
import type { Config } from '../core/config/schema.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export default fp<{ config: Config }>(
  async function config(app, options) {
    app.decorate('config', options.config)
  },
  { name: 'crosswalk-config' },
)
