// Building typed columns from database drivers that hand values over one row at a time. A column starts
// as numbers (or dates) and falls back to labels the first time a string arrives; labels are dictionary codes
// from the start, so a million repeated strings cost a million Int32s, not a million JS strings.

import { type Column, categoryColumn, datetimeColumn, numberColumn } from '../../core/frame.js';
import { formatDate, formatNumber } from '../coerce.js';

type Mode = 'empty' | 'number' | 'datetime' | 'label';

export class ColumnBuilder {
  private mode: Mode = 'empty';
  private length = 0;
  /** (capacity) numbers or epoch ms while mode is number/datetime */
  private values = new Float64Array(1024);
  /** (capacity) dictionary codes while mode is label */
  private codes = new Int32Array(0);
  private readonly index = new Map<string, number>();
  private readonly dictionary: string[] = [];

  push(value: unknown): void {
    if (value === null || value === undefined) return this.pushMissing();
    if (typeof value === 'number') return this.mode === 'label' ? this.pushLabel(formatNumber(value)) : this.pushValue(value, 'number');
    if (typeof value === 'bigint') return this.push(Number(value));
    if (value instanceof Date) {
      const ms = value.getTime();
      return this.mode === 'label' ? this.pushLabel(formatDate(ms)) : this.pushValue(ms, 'datetime');
    }
    if (typeof value === 'boolean') return this.pushLabel(value ? 'true' : 'false');
    if (typeof value === 'string') return this.pushLabel(value);
    if (value instanceof Uint8Array) return this.pushLabel(Buffer.from(value).toString('base64'));
    return this.pushLabel(JSON.stringify(value));
  }

  finish(): Column {
    if (this.mode === 'label') return categoryColumn(this.codes.slice(0, this.length), this.dictionary);
    const values = this.values.slice(0, this.length);
    return this.mode === 'datetime' ? datetimeColumn(values) : numberColumn(values);
  }

  private pushMissing(): void {
    if (this.mode === 'label') {
      this.ensureCodes();
      this.codes[this.length++] = -1;
    } else {
      this.ensureValues();
      this.values[this.length++] = NaN;
    }
  }

  private pushValue(v: number, kind: 'number' | 'datetime'): void {
    if (this.mode === 'empty') this.mode = kind;
    else if (this.mode !== kind) {
      // numbers and dates mixed in one column: keep both as text
      this.toLabels();
      return this.pushLabel(kind === 'number' ? formatNumber(v) : formatDate(v));
    }
    this.ensureValues();
    this.values[this.length++] = v;
  }

  private pushLabel(label: string): void {
    if (this.mode !== 'label') this.toLabels();
    this.ensureCodes();
    let code = this.index.get(label);
    if (code === undefined) {
      code = this.dictionary.length;
      this.index.set(label, code);
      this.dictionary.push(label);
    }
    this.codes[this.length++] = code;
  }

  // Switch to labels, turning what was stored so far into text.
  private toLabels(): void {
    const previous = this.mode;
    this.mode = 'label';
    this.codes = new Int32Array(Math.max(1024, this.values.length));
    const format = previous === 'datetime' ? formatDate : formatNumber;
    for (let i = 0; i < this.length; i++) {
      const v = this.values[i];
      if (Number.isNaN(v)) this.codes[i] = -1;
      else {
        const label = format(v);
        let code = this.index.get(label);
        if (code === undefined) {
          code = this.dictionary.length;
          this.index.set(label, code);
          this.dictionary.push(label);
        }
        this.codes[i] = code;
      }
    }
    this.values = new Float64Array(0);
  }

  private ensureValues(): void {
    if (this.length < this.values.length) return;
    const grown = new Float64Array(Math.max(1024, this.values.length * 2));
    grown.set(this.values);
    this.values = grown;
  }

  private ensureCodes(): void {
    if (this.length < this.codes.length) return;
    const grown = new Int32Array(Math.max(1024, this.codes.length * 2));
    grown.set(this.codes);
    this.codes = grown;
  }
}
