import { Router } from 'express';
import { monitoringAllowed } from '../web/security.js';
import type { Metrics } from './metrics.js';

/** GET /metrics in Prometheus text format, for this machine or the METRICS_TOKEN holder; 404 to anyone else. */
export function metricsRoutes(metrics: Metrics, token: string | null): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (!monitoringAllowed(req, token)) return void res.status(404).json({ error: 'không tìm thấy' });
    try {
      res.type(metrics.registry.contentType).send(await metrics.text());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
