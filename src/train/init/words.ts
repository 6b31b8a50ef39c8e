// Words for matching a one-line goal against column names and values: lower-case tokens with camelCase,
// snake_case and punctuation split apart (">50K" → "50k", "median_house_value" → median, house, value), light
// stemming so "churns", "churned" and "churn" meet, and the filler words of goals left out.

const FILLER = new Set(
  (
    'a an the of to for from in on at by with and or but not no is are be was were will would can could should ' +
    'which who whom whose what when where why how whether if than then that this these those it its their them they ' +
    'he she his her we our you your i my me predict predicts predicted predicting prediction forecast estimate guess ' +
    'tell find detect classify classification identify flag score model learn know want need more less most least ' +
    'each every per all any some many much very likely likelihood probability chance going get gets getting make ' +
    'made use using based data dataset yes no true false'
  ).split(' '),
);

/** light stemming: plural and verb endings, so that near forms of a word compare equal */
export function stem(word: string): string {
  let w = word;
  // until stable, so that "ratings" → "rating" → "rat" meets "rating" → "rat"
  for (let pass = 0; pass < 3; pass++) {
    const before = w;
    for (const suffix of ['ing', 'ers', 'ed', 'er', 'es', 's']) {
      if (w.length > suffix.length + 2 && w.endsWith(suffix)) {
        w = w.slice(0, -suffix.length);
        break;
      }
    }
    // "subscribe"/"subscribed" → "subscrib": drop a final e as well
    if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
    if (w === before) break;
  }
  return w;
}

/** raw lower-case tokens of a name, label or sentence */
export function tokens(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** the meaningful, stemmed words of a goal */
export function goalWords(goal: string | undefined): Set<string> {
  return new Set(tokens(goal ?? '').filter((t) => !FILLER.has(t)).map(stem));
}

/** the stemmed words of a column name or a category label */
export function nameWords(name: string): string[] {
  return tokens(name).map(stem);
}

/** does the goal mention any of these word stems (prefix match: "fraud" matches "fraudulent") */
export function mentions(goal: string | undefined, ...stems: string[]): boolean {
  const words = tokens(goal ?? '');
  return words.some((w) => stems.some((s) => w.startsWith(s)));
}
