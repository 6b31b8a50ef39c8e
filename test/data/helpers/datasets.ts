// The shared raw data files every reader must handle as a user would give them, with their true shapes
// (from ../shared/datasets/README.md). Tests skip when the folder is absent, except under CI=true.

import { existsSync } from 'node:fs';
import path from 'node:path';

import { DATASETS_DIR } from '../../helpers/shared.js';

export { DATASETS_DIR };

export interface RawFile {
  /** path under the datasets folder */
  file: string;
  rows: number;
  cols: number;
}

/** The raw files the issue names: odd separators, junk lines, no headers, stray quotes, Latin-1, blanks. */
export const RAW_FILES: RawFile[] = [
  { file: 'adult/adult.data', rows: 32561, cols: 15 },
  { file: 'adult/adult.test', rows: 16281, cols: 15 },
  { file: 'bank_marketing/bank-full.csv', rows: 45211, cols: 17 },
  { file: 'sms_spam/SMSSpamCollection', rows: 5574, cols: 2 },
  { file: 'movielens_100k/u.item', rows: 1682, cols: 24 },
  { file: 'telco_churn/Telco-Customer-Churn.csv', rows: 7043, cols: 21 },
];

/** More files read from disk only (gzip, other separators, other layouts). */
export const MORE_FILES: RawFile[] = [
  { file: 'bank_marketing/bank.csv', rows: 4521, cols: 17 },
  { file: 'bank_marketing/bank-additional-full.csv.gz', rows: 41188, cols: 21 },
  { file: 'movielens_100k/u.data', rows: 100000, cols: 4 },
  { file: 'movielens_100k/u.user', rows: 943, cols: 5 },
  { file: 'movielens_100k/u.genre', rows: 19, cols: 2 },
  { file: 'movielens_100k/u.occupation', rows: 21, cols: 1 },
  { file: 'movielens_100k/u.info', rows: 3, cols: 1 },
  { file: 'california_housing/housing.csv', rows: 20640, cols: 10 },
  { file: 'creditcard_fraud/creditcard_sample.csv', rows: 5412, cols: 31 },
  { file: 'banking77/train.csv', rows: 10003, cols: 2 },
];

export const dataset = (file: string): string => path.join(DATASETS_DIR, file);

/** A reason to skip dataset tests, or undefined; under CI=true a missing folder fails instead. */
export function datasetsMissing(): string | undefined {
  if (existsSync(path.join(DATASETS_DIR, 'adult', 'adult.data'))) return undefined;
  if (process.env.CI === 'true') throw new Error(`the shared datasets are missing at ${DATASETS_DIR} (CI=true)`);
  return `shared datasets not found at ${DATASETS_DIR}`;
}

/** PostgreSQL for tests: KILN_TEST_POSTGRES_URL, skipped when unset except under CI=true. */
export function postgresUrl(): { url?: string; skip?: string } {
  const url = process.env.KILN_TEST_POSTGRES_URL;
  if (url) return { url };
  if (process.env.CI === 'true') throw new Error('KILN_TEST_POSTGRES_URL is not set (CI=true): run ./scripts/test.sh');
  return { skip: 'KILN_TEST_POSTGRES_URL is not set' };
}
