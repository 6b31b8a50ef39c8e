// `kiln profile`, `kiln clean` (and --apply) and `kiln demo` as child processes of the real CLI (through tsx):
// outputs on disk, exit codes, and one clear error line (never a stack trace) for bad input.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCleanFailure as assertFailure, type CliResult, runKiln } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/data');
const CHURN = path.join(ROOT, 'examples/churn/telco-churn.csv');

type Result = CliResult;
const kiln = (cwd: string, ...args: string[]): Promise<Result> => runKiln(cwd, args);

/** A failure: exit code 1, an "error" line, maybe a hint, and nothing that looks like a stack trace. */
const assertCleanFailure = (r: Result, pattern: RegExp): void => assertFailure(r, pattern, { maxLines: 3 });

const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-cli-data-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('kiln profile', () => {
  test('prints a summary, writes --html, and --json is machine-readable', async () => {
    const html = path.join(work, 'profile.html');
    const r = await kiln(work, 'profile', CHURN, '--target', 'Churn', '--html', html);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /7,043 rows × 21 columns/);
    assert.match(r.stdout, /TotalCharges\s+number/);
    assert.match(r.stdout, /TotalCharges: numbers stored as text; read as missing: " " ×11/);
    assert.match(r.stdout, /report written to/);
    assert.match(readFileSync(html, 'utf8'), /<canvas id="col-0">/);
    const json = await kiln(work, 'profile', path.join(FIXTURES, 'messy.csv'), '--json', '--missing', 'unknown');
    assert.equal(json.code, 0, json.stderr);
    const profile = JSON.parse(json.stdout);
    assert.equal(profile.rows, 22);
    assert.equal(profile.duplicateRows, 1);
  });

  test('source options: --delimiter, --no-header, --columns', async () => {
    const file = path.join(work, 'plain.txt');
    writeFileSync(file, '1;a\n2;b\n3;c\n');
    const r = await kiln(work, 'profile', file, '--delimiter', ';', '--no-header', '--columns', 'n,letter', '--json');
    assert.equal(r.code, 0, r.stderr);
    const profile = JSON.parse(r.stdout);
    assert.deepEqual(profile.columnProfiles.map((c: { name: string }) => c.name), ['n', 'letter']);
    assert.equal(profile.rows, 3);
  });
});

describe('kiln clean', () => {
  test('writes cleaned data and a recipe; --apply with the same recipe on the same data gives identical output', async () => {
    const out = path.join(work, 'clean', 'churn.csv');
    const first = await kiln(work, 'clean', CHURN, '-o', out, '--target', 'Churn', '--missing-indicator');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /fix-types\s+converted TotalCharges \(text → number\); 11 values read as missing/);
    assert.match(first.stdout, /impute\s+11 missing values filled \(TotalCharges 11\)/);
    const recipeFile = path.join(work, 'clean', 'churn.recipe.json');
    const recipe = JSON.parse(readFileSync(recipeFile, 'utf8'));
    assert.equal(recipe.format, 'kiln-recipe');
    const again = path.join(work, 'clean', 'again.csv');
    const second = await kiln(work, 'clean', CHURN, '--apply', recipeFile, '-o', again);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'));
    const header = readFileSync(out, 'utf8').split('\n')[0];
    assert.match(header, /,TotalCharges_missing$/);
  });

  test('the same round trip through Parquet, on messy data', async () => {
    const out = path.join(work, 'clean', 'messy.parquet');
    const first = await kiln(work, 'clean', path.join(FIXTURES, 'messy.csv'), '-o', out, '--target', 'churned', '--outliers', 'flag');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /drop-duplicates\s+1 exact duplicate row dropped/);
    assert.match(first.stdout, /unify-variants\s+14 values were spelling variants/);
    const again = path.join(work, 'clean', 'messy-again.parquet');
    const second = await kiln(work, 'clean', path.join(FIXTURES, 'messy.csv'), '--apply', path.join(work, 'clean', 'messy.recipe.json'), '-o', again);
    assert.equal(second.code, 0, second.stderr);
    const a = await kiln(work, 'profile', out, '--json');
    const b = await kiln(work, 'profile', again, '--json');
    assert.deepEqual(JSON.parse(a.stdout).columnProfiles, JSON.parse(b.stdout).columnProfiles);
  });

  test('a failure leaves no output file behind', async () => {
    const dir = path.join(work, 'failed');
    const r = await kiln(work, 'clean', path.join(FIXTURES, 'too-many-fields.csv'), '-o', path.join(dir, 'out.csv'));
    assertCleanFailure(r, /too-many-fields\.csv \(line 4, column 9\): 4 fields where 3 were expected/);
    assert.ok(!existsSync(dir) || readdirSync(dir).length === 0);
  });

  test('--skip-bad-rows reads past malformed lines', async () => {
    const out = path.join(work, 'skipped.csv');
    const r = await kiln(work, 'clean', path.join(FIXTURES, 'too-many-fields.csv'), '-o', out, '--skip-bad-rows');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 5); // header + 4 good rows
  });
});

describe('bad input from the command line', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['profile', 'no/such/file.csv'], /no such file: no\/such\/file\.csv/],
    ['an empty file', ['profile', path.join(FIXTURES, 'empty.csv')], /empty\.csv is empty \(0 bytes\)/],
    ['an unknown scheme', ['profile', 'gopher://example.org/x'], /unknown source scheme "gopher:"/],
    ['an unbalanced quote', ['profile', path.join(FIXTURES, 'unbalanced-quote.csv')], /\(line 4, column 3\): a quoted value opens here and is never closed/],
    ['an unreachable database', ['profile', 'postgres://kiln@127.0.0.1:1/x', '--table', 't'], /cannot connect to PostgreSQL at postgres:\/\/kiln@127\.0\.0\.1:1\/x/],
    ['a missing SQLite database', ['profile', `sqlite:${path.join(work, 'q.db')}`, '--table', 't'], /no such SQLite database: .*q\.db/],
    ['a bad output name', ['clean', CHURN, '-o', path.join(work, 'out.xlsx')], /cannot tell the output format of .*out\.xlsx/],
    ['a bad recipe', ['clean', CHURN, '-o', path.join(work, 'x.csv'), '--apply', path.join(FIXTURES, 'sample.json')], /is not a usable Kiln recipe/],
  ];
  for (const [what, args, pattern] of cases) {
    test(`${what}: one clear message, exit code 1, no stack trace`, async () => {
      assertCleanFailure(await kiln(work, ...args), pattern);
    });
  }

  test('a query error from a real SQLite database', async () => {
    const db = path.join(work, 'real.db');
    const { default: Database } = await import('better-sqlite3');
    const handle = new Database(db);
    handle.exec('CREATE TABLE t (a REAL)');
    handle.close();
    assertCleanFailure(await kiln(work, 'profile', `sqlite:${db}`, '--query', 'SELECT nope FROM t'), /SQLite rejected the query: no such column: nope/);
  });
});

describe('kiln demo', () => {
  test('runs the whole job on the bundled churn data: plan, profile, clean, train, register, serve, predict, monitor', async () => {
    const cwd = mkdtempSync(path.join(work, 'demo-'));
    const r = await kiln(cwd, 'demo', path.join(ROOT, 'examples/churn'), '--time', '6s');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /target Churn \(/);
    assert.match(r.stdout, /drop customerID: identifier/);
    for (const file of ['kiln.yaml', 'report.html', 'profile.json', 'cleaned.csv', 'cleaned.recipe.json', 'train.html', 'monitor.html']) {
      assert.ok(existsSync(path.join(cwd, '.kiln', 'demo', file)), file);
      assert.match(r.stdout, new RegExp(`\\.kiln/demo/${file.replace('.', '\\.')}`));
    }
    assert.equal(readFileSync(path.join(cwd, '.kiln/demo/cleaned.csv'), 'utf8').trim().split('\n').length, 7044);
    assert.match(r.stdout, /\$ kiln train kiln\.yaml --time 6s --report train\.html/);
    assert.match(r.stdout, /registered telco-churn\/1 as champion/);
    // three single predictions answered by the server, each with both class probabilities
    assert.equal(r.stdout.match(/predict {2}row \d → (Yes|No) \(No 0\.\d{3}, Yes 0\.\d{3}\); actual (Yes|No)/g)?.length, 3);
    assert.match(r.stdout, /replayed 7,043 rows in 15 requests of up to 500; sent 7,043 actual outcomes as feedback/);
    // the monitor reads what the server logged: the three single rows and the replay, with the labels joined
    assert.match(r.stdout, /current: {3}prediction log of telco-churn \(version 1\): 7,046 rows, 7,043 labelled/);
    assert.match(r.stdout, /drift {8}PASS/);
    assert.match(r.stdout, /performance {2}PASS {2}performance holds on 7,043 labelled rows: roc_auc 0\.\d+/);

    // a second run serves what it just trained: the new version is promoted over the first run's champion
    const again = await kiln(cwd, 'demo', path.join(ROOT, 'examples/churn'), '--time', '6s');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /\$ kiln promote telco-churn\/2 --alias champion/);
    assert.match(again.stdout, /prediction log of telco-churn \(version 2\): 7,046 rows/);
  });

  test('a bad budget is one clear error', async () => {
    const r = await kiln(work, 'demo', path.join(ROOT, 'examples/churn'), '--time', 'soon');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error --time soon: expected a duration/);
  });
});
