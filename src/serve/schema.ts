// The serve layer's tables, as numbered migrations (run by core/db's migrate when a server, `kiln tokens` or a
// reader of prediction logs opens the database). Never edit a shipped migration; append a new one.
//   predictions  one row per predicted record; (request_id, row_index) is the key feedback joins on (step 6)
//   api_tokens   API tokens, stored as sha256 hashes (a token is shown once, at creation)
//   feedback     the actual outcome of a logged row, sent later; same key as predictions

import type { Migration } from '../core/db/index.js';

export const SERVE_LAYER = 'serve';

export const serveMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'predictions log and API tokens',
    up: `
      CREATE TABLE predictions (
        request_id TEXT NOT NULL,              -- the x-request-id answered to the client
        row_index INTEGER NOT NULL,            -- 0-based position of the record in its request
        model_name TEXT NOT NULL,
        model_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,              -- ISO-8601 UTC, when the request arrived
        latency_ms DOUBLE PRECISION NOT NULL,  -- the request's server-side time, shared by its rows
        inputs TEXT NOT NULL,                  -- JSON object: the record as sent
        prediction TEXT NOT NULL,              -- JSON: the class label or the number
        score DOUBLE PRECISION,                -- binary: P(positive class); multiclass: P(predicted class); regression: the value
        probabilities TEXT,                    -- JSON object class -> probability (classification), else NULL
        source TEXT NOT NULL,                  -- 'v1' (JSON API), 'v2' (Open Inference Protocol)
        PRIMARY KEY (request_id, row_index)
      );
      CREATE INDEX predictions_model_time ON predictions (model_name, model_version, created_at);
      CREATE INDEX predictions_time ON predictions (created_at);

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,                   -- short public id, e.g. for kiln tokens revoke
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,       -- sha256 hex of the whole token
        prefix TEXT NOT NULL,                  -- the token's first characters, to recognise it in lists
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at TEXT                        -- NULL while the token is valid
      );
    `,
  },
  {
    version: 2,
    // every index is paid for on each logged row; queries by time alone are rare (monitoring reads by model)
    name: 'drop the time-only index of predictions',
    up: 'DROP INDEX IF EXISTS predictions_time',
  },
  {
    version: 3,
    name: 'feedback: actual outcomes of logged predictions',
    up: `
      CREATE TABLE feedback (
        request_id TEXT NOT NULL,              -- the request the label is about
        row_index INTEGER NOT NULL,            -- the record's position in that request
        model_name TEXT NOT NULL,
        actual TEXT NOT NULL,                  -- JSON: the class label or the number
        received_at TEXT NOT NULL,             -- ISO-8601 UTC of the last label for this row
        PRIMARY KEY (request_id, row_index)
      );
    `,
  },
];
