// POST /api/query: a query request in (a view, parts, a comparison: never SQL), its result as Arrow IPC out (see QueryService).
import express from 'express';
import { SpecError } from '../../../pipeline/spec-error.js';
import { QueryRefusal, type QueryService } from '../query/query-service.js';

export const QUERY_ROUTE = '/api/query';
export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

export function queryRoute(service: QueryService): express.Router {
  const router = express.Router();
  router.post(QUERY_ROUTE, express.json({ limit: '64kb' }), async (request, response) => {
    response.set('Cache-Control', 'no-store');
    try {
      const ipc = await service.run(request.body);
      response.type(ARROW_STREAM_TYPE).send(Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength));
    } catch (error) {
      if (error instanceof QueryRefusal) response.status(error.status).json({ error: error.message });
      else if (error instanceof SpecError) response.status(400).json({ error: `this query cannot be run: ${error.message}` });
      else {
        console.error('[query]', error);
        response.status(500).json({ error: 'the view could not be computed on the server' });
      }
    }
  });
  return router;
}
