// kiln init on every shared data set, raw files as published and the prepared train.csv, each with a one-line
// goal: the right target, task, positive class, metric, columns to drop and validation scheme; the written
// kiln.yaml parses back into the same choices and carries each reason as a comment. Checked against the
// datasets' meta.json where it names them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { init } from '../../src/train/init/init.js';
import { parseProjectYaml } from '../../src/train/project/load.js';
import { dataset, datasetsMissing } from '../data/helpers/datasets.js';

interface Case {
  file: string;
  goal: string;
  target: string;
  task: string;
  positive?: string;
  metric: string;
  drop?: string[];
  text?: string;
  recommend?: { user: string; item: string };
}

const ADULT = 'predict whether a person earns more than 50K a year';
const BANK = 'predict whether a client subscribes to a term deposit';
const CASES: Case[] = [
  { file: 'adult/adult.data', goal: ADULT, target: 'column15', task: 'binary', positive: '>50K', metric: 'roc_auc' },
  { file: 'adult/adult.test', goal: ADULT, target: 'column15', task: 'binary', positive: '>50K.', metric: 'roc_auc' },
  { file: 'adult/train.csv', goal: ADULT, target: 'income', task: 'binary', positive: '>50K', metric: 'roc_auc' },
  { file: 'bank_marketing/bank-full.csv', goal: BANK, target: 'y', task: 'binary', positive: 'yes', metric: 'roc_auc', drop: ['duration'] },
  { file: 'bank_marketing/bank.csv', goal: BANK, target: 'y', task: 'binary', positive: 'yes', metric: 'roc_auc', drop: ['duration'] },
  { file: 'bank_marketing/bank-additional-full.csv.gz', goal: BANK, target: 'y', task: 'binary', positive: 'yes', metric: 'roc_auc', drop: ['duration'] },
  { file: 'bank_marketing/train.csv', goal: BANK, target: 'y', task: 'binary', positive: 'yes', metric: 'roc_auc', drop: ['duration'] },
  { file: 'banking77/train.csv', goal: 'route each customer question to its intent category', target: 'category', task: 'text', metric: 'accuracy', text: 'text' },
  { file: 'california_housing/housing.csv', goal: 'predict the median house value of a district', target: 'median_house_value', task: 'regression', metric: 'rmse' },
  { file: 'california_housing/train.csv', goal: 'predict the median house value of a district', target: 'median_house_value', task: 'regression', metric: 'rmse' },
  { file: 'covertype_kaggle/train.csv', goal: 'predict the forest cover type of a patch of land', target: 'Cover_Type', task: 'multiclass', metric: 'log_loss', drop: ['Id', 'Soil_Type7', 'Soil_Type15'] },
  { file: 'creditcard_fraud/creditcard_sample.csv', goal: 'detect fraudulent card transactions', target: 'Class', task: 'binary', positive: '1', metric: 'pr_auc' },
  { file: 'creditcard_fraud/train.csv', goal: 'detect fraudulent card transactions', target: 'Class', task: 'binary', positive: '1', metric: 'pr_auc' },
  { file: 'movielens_100k/u.data', goal: 'recommend movies to users from their past ratings', target: 'column3', task: 'recommendation', metric: 'rmse', recommend: { user: 'column1', item: 'column2' } },
  { file: 'movielens_100k/train.csv', goal: 'recommend movies to users from their past ratings', target: 'rating', task: 'recommendation', metric: 'rmse', recommend: { user: 'user_id', item: 'item_id' } },
  { file: 'sms_spam/SMSSpamCollection', goal: 'flag spam text messages', target: 'column1', task: 'text', positive: 'spam', metric: 'accuracy', text: 'column2' },
  { file: 'sms_spam/train.csv', goal: 'flag spam text messages', target: 'label', task: 'text', positive: 'spam', metric: 'accuracy', text: 'text' },
  { file: 'telco_churn/Telco-Customer-Churn.csv', goal: 'predict which customers will churn', target: 'Churn', task: 'binary', positive: 'Yes', metric: 'roc_auc', drop: ['customerID'] },
  { file: 'telco_churn/train.csv', goal: 'predict which customers will churn', target: 'Churn', task: 'binary', positive: 'Yes', metric: 'roc_auc', drop: ['customerID'] },
];

describe('kiln init on every shared data set', { skip: datasetsMissing() }, () => {
  for (const c of CASES) {
    test(`${c.file}: "${c.goal}"`, async () => {
      const r = await init({ data: dataset(c.file), goal: c.goal, projectDir: dataset('.') });
      assert.equal(r.target.value, c.target, r.target.reason);
      assert.equal(r.task.value, c.task, r.task.reason);
      assert.equal(r.positive?.value, c.positive, r.positive?.reason);
      assert.equal(r.metric.value, c.metric, r.metric.reason);
      for (const d of c.drop ?? []) assert.ok(r.drop.some((x) => x.column === d), `${d} should be dropped (dropped: ${r.drop.map((x) => x.column).join(', ')})`);
      assert.ok(!r.drop.some((x) => x.column === c.target));
      assert.equal(r.text?.value, c.text);
      if (c.recommend) assert.deepEqual({ user: r.recommend?.value.user, item: r.recommend?.value.item }, c.recommend);
      if (c.task === 'text' || c.task === 'recommendation') assert.match(r.unsupported ?? '', /kiln train does not do/);
      else assert.equal(r.unsupported, null);
      assert.equal(r.split.value.scheme, c.task === 'regression' || c.task === 'recommendation' ? 'kfold' : 'stratified');

      // the file says the same, with reasons as comments
      const project = parseProjectYaml(r.yaml);
      assert.equal(project.target, c.target);
      assert.equal(project.task, c.task);
      assert.equal(project.metric, c.metric);
      assert.equal(project.positive, c.positive);
      assert.deepEqual(Object.keys(project.drop).sort(), r.drop.map((d) => d.column).sort());
      assert.ok(r.yaml.includes(`# ${r.target.reason}`) || r.yaml.includes(r.target.reason), 'the target reason is a comment');
      assert.match(r.yaml, /^# Goal: /m);

      // train.csv files come with meta.json: init must agree with it on the target and the task
      if (c.file.endsWith('train.csv')) {
        const meta = JSON.parse(readFileSync(dataset(c.file.replace('train.csv', 'meta.json')), 'utf8')) as { target?: string; rating?: string; task: string; positive?: unknown; drop?: string[] };
        assert.equal(r.target.value, meta.target ?? meta.rating);
        assert.equal(r.task.value, meta.task);
        if (meta.positive !== undefined) assert.equal(r.positive?.value, String(meta.positive));
        for (const d of meta.drop ?? []) assert.ok(r.drop.some((x) => x.column === d), `meta drops ${d}`);
      }
    });
  }

  test('--target wins over the goal; an unknown --target names the columns; no clue at all asks for --target', async () => {
    const r = await init({ data: dataset('telco_churn/train.csv'), goal: 'predict which customers will churn', target: 'tenure' });
    assert.equal(r.target.value, 'tenure');
    assert.equal(r.task.value, 'regression');
    await assert.rejects(init({ data: dataset('telco_churn/train.csv'), target: 'Churned' }), /--target Churned: no such column/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-init-'));
    try {
      const file = path.join(dir, 'numbers.csv');
      writeFileSync(file, `a,b,c\n${Array.from({ length: 50 }, (_, i) => `${i},${i * 2.5},${(i * 7) % 13}.5`).join('\n')}\n`);
      await assert.rejects(init({ data: file }), /could not tell which column to predict/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('named time and group columns set the validation scheme', async () => {
    const time = await init({ data: dataset('movielens_100k/train.csv'), target: 'rating', timeColumn: 'timestamp' });
    assert.deepEqual(time.split.value, { scheme: 'time', column: 'timestamp' });
    const group = await init({ data: dataset('telco_churn/train.csv'), goal: 'predict which customers will churn', groupColumn: 'PaymentMethod' });
    assert.deepEqual(group.split.value, { scheme: 'group', column: 'PaymentMethod' });
    assert.match(parseProjectYaml(group.yaml).split.column ?? '', /PaymentMethod/);
  });
});
