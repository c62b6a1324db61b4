import { Router, type Response } from "express";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { Services } from "../context";
import type { EventCriteria } from "../timeline/timeline.criteria";
import type { SortOrder } from "../timeline/timeline.input";
import { filterFromQuery } from "./export-filter";
import { ExportService } from "./export.service";

/**
 * GET /export/events.csv and /export/timeline.json, taking the TimelineFilter fields as query
 * parameters. A bad parameter is HTTP 400 with the reason, before anything is streamed.
 */
export function exportRoutes(services: Services, log: Logger): Router {
  const exports = new ExportService(services);
  const router = Router();

  const handle =
    (contentType: string, filename: string, write: (criteria: EventCriteria, order: SortOrder, res: Response) => Promise<void>) =>
    async (req: { query: Record<string, unknown> }, res: Response) => {
      let prepared;
      try {
        const { filter, order } = filterFromQuery(req.query);
        prepared = { criteria: await services.timeline.resolveFilter(filter), order };
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions.code === "BAD_USER_INPUT") {
          res.status(400).json({ error: { code: "BAD_USER_INPUT", message: error.message } });
          return;
        }
        throw error;
      }
      res.setHeader("content-type", contentType);
      res.setHeader("content-disposition", `attachment; filename="${filename}"`);
      try {
        await write(prepared.criteria, prepared.order, res);
      } catch (err) {
        // Headers are gone: all that is left is to cut the stream so the client sees it incomplete.
        log.error({ err }, "export failed while streaming");
        res.destroy(err as Error);
      }
    };

  router.get("/events.csv", handle("text/csv; charset=utf-8", "timeline-events.csv", (c, o, res) => exports.csv(c, o, res)));
  router.get("/timeline.json", handle("application/json; charset=utf-8", "timeline.json", (c, o, res) => exports.timelineJs(c, o, res)));
  return router;
}
