// What kind of problem this is, given the data, the target and the goal: recommendation (users, items, maybe
// ratings), text classification (the features are mostly free text), binary or multiclass classification, or
// regression; for binary problems, which class is the "positive" one.

import type { Column, Frame } from '../../core/frame.js';
import type { ColumnInfo } from '../../data/index.js';
import type { ProjectTask } from '../project/schema.js';
import { type Choice, columnLabels } from './target.js';
import { goalWords, mentions, nameWords } from './words.js';

export interface RecommendColumns {
  readonly user: string;
  readonly item: string;
  readonly rating: string | null;
  readonly time: string | null;
}

const USER_WORDS = ['user', 'customer', 'member', 'viewer', 'reader', 'listener', 'client'];
const ITEM_WORDS = ['item', 'movie', 'film', 'product', 'song', 'track', 'book', 'article', 'artist'];
const RATING_WORDS = ['rating', 'rat', 'score', 'star', 'stars', 'grade'];
const TIME_WORDS = ['time', 'timestamp', 'date', 'when', 'at'];

function isWholeNumbers(col: Column): boolean {
  if (col.kind !== 'number') return false;
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i];
    if (!Number.isNaN(v) && !Number.isInteger(v)) return false;
  }
  return true;
}

function distinctCount(col: Column, limit: number): number {
  const seen = new Set<number | string>();
  const n = col.kind === 'category' ? col.codes.length : col.values.length;
  for (let i = 0; i < n && seen.size <= limit; i++) {
    const v = col.kind === 'category' ? col.codes[i] : col.values[i];
    if (v !== null && v !== -1 && !(typeof v === 'number' && Number.isNaN(v))) seen.add(v);
  }
  return seen.size;
}

/**
 * Users and items: columns named like them, or — for files without names, when the goal asks for
 * recommendations — two whole-number id columns that repeat a lot, a small whole-number rating (1–5, 1–10) and
 * a large whole-number timestamp.
 */
export function detectRecommendation(frame: Frame, schema: readonly ColumnInfo[], goal: string | undefined): Choice<RecommendColumns> | null {
  const asks = mentions(goal, 'recommend', 'suggest', 'personali');
  const named = (words: string[]): string | undefined => schema.find((c) => nameWords(c.name).some((w) => words.includes(w)))?.name;
  const user = named(USER_WORDS);
  const item = named(ITEM_WORDS.filter((w) => !USER_WORDS.includes(w)));
  if (user && item && user !== item) {
    const rating = named(RATING_WORDS) ?? null;
    if (!asks && !rating) return null;
    const time = schema.find((c) => c.name !== rating && nameWords(c.name).some((w) => TIME_WORDS.includes(w)))?.name ?? null;
    return { value: { user, item, rating, time }, reason: `"${user}" and "${item}" name users and items${rating ? `, "${rating}" their ratings` : ''}` };
  }
  if (!asks) return null;
  const n = frame.nRows;
  const ids: string[] = [];
  let rating: string | null = null;
  let time: string | null = null;
  for (const c of schema) {
    const col = frame.column(c.name);
    if (!isWholeNumbers(col)) continue;
    const distinct = distinctCount(col, n);
    const values = (col as { values: Float64Array }).values;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (Number.isNaN(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (distinct <= 10 && min >= 0 && max <= 10 && rating === null) rating = c.name;
    else if (min > 1e8 && time === null) time = c.name;
    else if (distinct > 20 && distinct < n / 5) ids.push(c.name);
  }
  if (ids.length < 2) return null;
  return { value: { user: ids[0], item: ids[1], rating, time }, reason: `the goal asks for recommendations; ${ids[0]} and ${ids[1]} repeat like user and item ids${rating ? `, ${rating} holds small whole-number ratings` : ''}` };
}

/** the free-text column the model should read, when the features are mostly text */
export function detectText(frame: Frame, schema: readonly ColumnInfo[], target: string, goal: string | undefined): Choice<string> | null {
  const features = schema.filter((c) => c.name !== target && c.type !== 'identifier');
  const texts = features.filter((c) => c.type === 'text');
  if (!texts.length) return null;
  const mostlyText = features.length <= 3 || mentions(goal, 'text', 'message', 'sms', 'email', 'mail', 'review', 'sentence', 'query', 'queries', 'question', 'tweet', 'comment', 'ticket', 'document');
  if (!mostlyText) return null;
  const meanLength = (c: ColumnInfo): number => {
    const values = (frame.column(c.name) as { values: readonly (string | null)[] }).values;
    let sum = 0;
    let count = 0;
    for (const v of values) {
      if (v === null) continue;
      sum += v.length;
      count++;
    }
    return count ? sum / count : 0;
  };
  const best = texts.reduce((a, b) => (meanLength(b) > meanLength(a) ? b : a));
  return { value: best.name, reason: `"${best.name}" is free text${features.length <= 3 ? ' and the main input' : ' and the goal is about text'}` };
}

/** binary, multiclass or regression, from the target's values */
export function tabularTask(frame: Frame, info: ColumnInfo, goal: string | undefined): Choice<ProjectTask> {
  const col = frame.column(info.name);
  if (col.kind === 'category' || col.kind === 'text') {
    const k = distinctCount(col, 1000);
    return k <= 2 ? { value: 'binary', reason: `${info.name} has two labels` } : { value: 'multiclass', reason: `${info.name} has ${k} labels` };
  }
  if (col.kind === 'number' && isWholeNumbers(col)) {
    const k = distinctCount(col, 1000);
    if (k <= 2) return { value: 'binary', reason: `${info.name} takes two values` };
    if (k <= 10 || (k <= 30 && mentions(goal, 'class', 'type', 'categor', 'kind', 'level', 'grade')))
      return { value: 'multiclass', reason: `${info.name} takes ${k} whole-number values: classes` };
  }
  return { value: 'regression', reason: `${info.name} is a number with many values` };
}

const POSITIVE_LABELS = ['yes', 'y', 'true', '1', 'positive', 'spam', 'fraud', 'churn', 'churned', 'default', 'bad', 'fail', 'failure', 'success'];

/** the class a binary model scores: the one the goal names, a conventional positive label, else the rarer one */
export function choosePositive(frame: Frame, target: string, goal: string | undefined): Choice<string> {
  const col = frame.column(target);
  const labels = columnLabels(col).map((l) => l);
  const words = goalWords(goal);
  // "more than 50K" / "less than 50K": the goal's direction picks between ">50K" and "<=50K"
  const up = mentions(goal, 'more', 'above', 'over', 'exceed', 'high', 'greater', 'rich');
  const down = mentions(goal, 'less', 'below', 'under', 'low', 'poor');
  const named = labels.filter((l) => {
    const parts = nameWords(l);
    return parts.length > 0 && parts.every((w) => words.has(w)) && !/^(yes|no|true|false)$/i.test(l.trim());
  });
  if (named.length === 1) return { value: named[0], reason: `the goal names "${named[0].trim()}"` };
  if (named.length > 1 && (up || down)) {
    const pick = named.find((l) => (up ? /^\s*>/.test(l) : /^\s*</.test(l)));
    if (pick) return { value: pick, reason: `the goal asks about "${up ? 'more' : 'less'}": "${pick.trim()}"` };
  }
  const conventional = POSITIVE_LABELS.map((p) => labels.find((l) => l.trim().toLowerCase() === p)).find((l) => l !== undefined);
  if (conventional !== undefined) return { value: conventional, reason: `"${conventional}" is the usual positive label` };
  const counts = new Map<string, number>(labels.map((l) => [l, 0]));
  const n = col.kind === 'category' ? col.codes.length : (col as { values: ArrayLike<unknown> }).values.length;
  for (let i = 0; i < n; i++) {
    const l = col.kind === 'category' ? (col.codes[i] < 0 ? null : col.dictionary[col.codes[i]]) : col.kind === 'number' ? (Number.isNaN(col.values[i]) ? null : String(col.values[i])) : null;
    if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const rarest = [...counts.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  return { value: rarest, reason: `"${rarest}" is the rarer class (usually the one to catch)` };
}

/** the share of rows holding `label` in the target */
export function labelShare(frame: Frame, target: string, label: string): number {
  const col = frame.column(target);
  let hits = 0;
  let present = 0;
  const n = col.kind === 'category' ? col.codes.length : (col as { values: ArrayLike<unknown> }).values.length;
  for (let i = 0; i < n; i++) {
    const l = col.kind === 'category' ? (col.codes[i] < 0 ? null : col.dictionary[col.codes[i]]) : col.kind === 'number' ? (Number.isNaN(col.values[i]) ? null : String(col.values[i])) : col.kind === 'text' ? col.values[i] : null;
    if (l === null) continue;
    present++;
    if (l === label) hits++;
  }
  return present ? hits / present : 0;
}
