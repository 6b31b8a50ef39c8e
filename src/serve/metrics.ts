// A minimal Prometheus registry for GET /metrics: counters, histograms and gauges with labels, rendered in the
// text exposition format (version 0.0.4). Label values come only from route templates, status codes and
// validated model names, so a client cannot grow the series without bound.

type LabelValues = readonly string[];

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(names: readonly string[], values: LabelValues, extra?: string): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** how a number is written in the exposition format */
function num(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly series = new Map<string, { values: LabelValues; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
  ) {}

  inc(values: LabelValues = [], by = 1): void {
    this.seriesOf(values).value += by;
  }

  /** One series, looked up once: for the request path, which counts into the same few series over and over. */
  child(values: LabelValues): { inc(by?: number): void } {
    const s = this.seriesOf(values);
    return {
      inc: (by = 1) => {
        s.value += by;
      },
    };
  }

  private seriesOf(values: LabelValues): { values: LabelValues; value: number } {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { values: [...values], value: 0 }));
    return s;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const s of this.series.values()) out += `${this.name}${labelText(this.labelNames, s.values)} ${num(s.value)}\n`;
    return out;
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { values: LabelValues; counts: Float64Array; sum: number; count: number }>();
  /** upper bounds, ascending; +Inf is implied */
  readonly buckets: readonly number[];
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    buckets: readonly number[],
  ) {
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(values: LabelValues, value: number): void {
    this.record(this.seriesOf(values), value);
  }

  /** One series, looked up once (see Counter.child). */
  child(values: LabelValues): { observe(value: number): void } {
    const s = this.seriesOf(values);
    return { observe: (value) => this.record(s, value) };
  }

  private seriesOf(values: LabelValues): { values: LabelValues; counts: Float64Array; sum: number; count: number } {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { values: [...values], counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  private record(s: { counts: Float64Array; sum: number; count: number }, value: number): void {
    // counts are per bucket here and made cumulative when rendered
    let b = 0;
    while (b < this.buckets.length && value > this.buckets[b]) b++;
    if (b < this.buckets.length) s.counts[b]++;
    s.sum += value;
    s.count++;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, b) => {
        cumulative += s.counts[b];
        out += `${this.name}_bucket${labelText(this.labelNames, s.values, `le="${num(le)}"`)} ${cumulative}\n`;
      });
      out += `${this.name}_bucket${labelText(this.labelNames, s.values, 'le="+Inf"')} ${s.count}\n`;
      out += `${this.name}_sum${labelText(this.labelNames, s.values)} ${num(s.sum)}\n`;
      out += `${this.name}_count${labelText(this.labelNames, s.values)} ${s.count}\n`;
    }
    return out;
  }
}

/** A gauge whose series are read when /metrics is scraped. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly collect: () => { values: LabelValues; value: number }[],
  ) {}

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n`;
    for (const s of this.collect()) out += `${this.name}${labelText(this.labelNames, s.values)} ${num(s.value)}\n`;
    return out;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  render(): string {
    return this.metrics.map((m) => m.render()).join('');
  }
}

/** Latency buckets in seconds: fine below 10 ms, where a prediction server should live. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
