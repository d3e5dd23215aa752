// POST /api/view-query: a view spec in, its result as Arrow IPC out (see ViewQueryService).
import express from 'express';
import { SpecError } from '../../../pipeline/spec-error.js';
import { QueryRefusal, type ViewQueryService } from '../query/view-query-service.js';

export const VIEW_QUERY_ROUTE = '/api/view-query';
export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

export function viewQueryRoute(service: ViewQueryService): express.Router {
  const router = express.Router();
  router.post(VIEW_QUERY_ROUTE, express.json({ limit: '64kb' }), async (request, response) => {
    response.set('Cache-Control', 'no-store');
    try {
      const ipc = await service.run(request.body);
      response.type(ARROW_STREAM_TYPE).send(Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength));
    } catch (error) {
      if (error instanceof QueryRefusal) response.status(error.status).json({ error: error.message });
      else if (error instanceof SpecError) response.status(400).json({ error: `this view cannot be run: ${error.message}` });
      else {
        console.error('[view-query]', error);
        response.status(500).json({ error: 'the view could not be computed on the server' });
      }
    }
  });
  return router;
}
