// POST /v1/models/{model}/feedback: the actual outcomes of earlier predictions (see feedback.ts for the bodies).
// The label is checked against the model's classes (or must be a number for a regressor), stored, and the
// answer says how many of the labelled rows are already in the prediction log:
//   { model, accepted, logged, unlogged }   unlogged > 0: labels for requests the log has not seen (yet)

import type { FastifyInstance } from 'fastify';
import { countLogged, feedbackFromBody, writeFeedback } from './feedback.js';
import { refFromSegment, servedFor } from './routes-v1.js';
import type { ServerContext } from './server.js';

export function registerFeedbackRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { model: string } }>('/v1/models/:model/feedback', async (request) => {
    const ref = refFromSegment(request.params.model);
    const served = await servedFor(ctx, ref);
    const { task, classes } = served.pipeline;
    const items = feedbackFromBody(request.body, { task, classes });
    const accepted = await writeFeedback(ctx.db, served.name, items);
    // a prediction answered a moment ago may still be queued: write the queue first so it counts as logged
    await ctx.predictionLog?.flush();
    const logged = await countLogged(ctx.db, served.name, items);
    ctx.metrics.feedbackRows.inc([served.name], accepted);
    return { model: served.name, accepted, logged, unlogged: items.length - logged };
  });
}
