import { Router, type Request, type Response } from "express";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { ErrorCode } from "../common/errors";
import type { Services } from "../context";
import type { EventCriteria } from "../events/event-criteria";
import type { SortOrder } from "../events/event-filter.input";
import { filterFromQuery } from "../exports/export-filter";
import { ExportService } from "../exports/export.service";
import { sendError } from "./http-errors";

/**
 * GET /export/events.csv and /export/timeline.json, taking the TimelineFilter fields as query
 * parameters. A bad parameter is HTTP 400 with the reason, before anything is streamed.
 */
export function exportRoutes(services: Services, log: Logger): Router {
  const exports = new ExportService(services);
  const router = Router();

  const handle =
    (contentType: string, filename: string, write: (criteria: EventCriteria, order: SortOrder, res: Response) => Promise<void>) =>
    async (req: Request, res: Response) => {
      let prepared;
      try {
        const { filter, order } = filterFromQuery(req.query as Record<string, unknown>);
        prepared = { criteria: await services.filters.resolve(filter), order };
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions.code === ErrorCode.BAD_USER_INPUT) {
          sendError(req, res, 400, ErrorCode.BAD_USER_INPUT, error.message);
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
