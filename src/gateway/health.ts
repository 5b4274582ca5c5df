import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness',
  responses: { 200: { description: 'The gateway is up', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } } },
});

export function createHealthRoutes() {
  const app = new OpenAPIHono();
  app.openapi(health, (c) => c.json({ ok: true as const }, 200));
  return app;
}
