// Operations routes: GET /metrics (Prometheus text) and GET /openapi.json (the API, with one request schema per
// registered model built from its signature).

import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './openapi.js';
import type { ServerContext } from './server.js';

export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.registry.render()));
  app.get('/openapi.json', async () => {
    const models = await ctx.store.listModels();
    const described = await Promise.all(models.slice(0, 200).map(async (m) => ctx.store.resolve({ kind: 'latest', name: m.name })));
    return openApiDocument(described);
  });
}
