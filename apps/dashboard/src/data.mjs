/**
 * The data set the dashboard ships with: two years of daily sales by region and product.
 *
 * It is generated from a fixed seed instead of being committed as a CSV so the repository stays small and every
 * worker, test and reader gets byte-identical rows. Money is kept in whole dollars (integers) so that totals are
 * exact whatever order they are summed in — the tests recompute them independently and compare with `===`.
 */

/** @typedef {'Hardware' | 'Software' | 'Services'} Category */

/**
 * One day's sales of one product in one region.
 * @typedef {object} SaleRow
 * @property {string} date ISO day, `YYYY-MM-DD` (UTC).
 * @property {number} month Index into {@link MONTHS} (0 = 2024-01).
 * @property {string} region One of {@link REGIONS}.
 * @property {string} product One of the names in {@link PRODUCTS}.
 * @property {Category} category The product's category.
 * @property {number} units Units sold that day.
 * @property {number} revenue Revenue in whole dollars.
 */

/** Seed of the published data set; change it and every number in the README and tests changes. */
export const SEED = 20240101;

/** First day of the data set (UTC). */
const START = Date.UTC(2024, 0, 1);

/** 2024 is a leap year: 366 + 365 days. */
export const DAY_COUNT = 731;

/** Sales regions, largest market first; `weight` scales demand. */
export const REGIONS = /** @type {const} */ (['North America', 'Europe', 'Asia Pacific', 'Latin America']);
const REGION_WEIGHT = [1, 0.8, 0.7, 0.35];

/** Product categories, in the order the checklist shows them. */
export const CATEGORIES = /** @type {const} */ (['Hardware', 'Software', 'Services']);

/**
 * The catalogue: list price in dollars and mean daily units in the largest region.
 * @type {ReadonlyArray<{ name: string, category: Category, price: number, demand: number }>}
 */
export const PRODUCTS = Object.freeze([
  { name: 'Laptop', category: 'Hardware', price: 1200, demand: 6 },
  { name: 'Monitor', category: 'Hardware', price: 300, demand: 14 },
  { name: 'Analytics Suite', category: 'Software', price: 800, demand: 3 },
  { name: 'Security Suite', category: 'Software', price: 450, demand: 5 },
  { name: 'Support Plan', category: 'Services', price: 150, demand: 10 },
  { name: 'Training', category: 'Services', price: 600, demand: 2 },
]);

/** Month labels `YYYY-MM`, the range slider's marks. */
export const MONTHS = Object.freeze(
  Array.from({ length: 24 }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`),
);

/**
 * mulberry32: tiny, fast and good enough for synthetic data; Math.random cannot be seeded.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Knuth's Poisson sampler; lambda stays below ~30 here, where it is both exact and cheap.
 * @param {() => number} rand
 * @param {number} lambda
 */
function poisson(rand, lambda) {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
}

/** Discounts a sales rep may give on a day, as fractions of the list price. */
const DISCOUNTS = [0, 0, 0.05, 0.1, 0.15];

/**
 * Generates the data set. Pure: the same seed always gives the same rows in the same order.
 * @param {number} [seed]
 * @returns {SaleRow[]}
 */
export function generateSales(seed = SEED) {
  const rand = mulberry32(seed);
  /** @type {SaleRow[]} */
  const rows = [];
  for (let day = 0; day < DAY_COUNT; day += 1) {
    const when = new Date(START + day * 86_400_000);
    const date = when.toISOString().slice(0, 10);
    const month = (when.getUTCFullYear() - 2024) * 12 + when.getUTCMonth();
    // Busy fourth quarters, a quiet summer, slow weekends and ~30 % growth over the two years.
    const season = 1 + 0.25 * Math.cos((2 * Math.PI * (when.getUTCMonth() - 10)) / 12);
    const weekday = when.getUTCDay();
    const week = weekday === 0 || weekday === 6 ? 0.4 : 1.1;
    const trend = 1 + (0.3 * day) / DAY_COUNT;
    REGIONS.forEach((region, r) => {
      for (const product of PRODUCTS) {
        const lambda = product.demand * (REGION_WEIGHT[r] ?? 1) * season * week * trend;
        const units = poisson(rand, lambda);
        const discount = DISCOUNTS[Math.floor(rand() * DISCOUNTS.length)] ?? 0;
        const revenue = units * Math.round(product.price * (1 - discount));
        rows.push({ date, month, region, product: product.name, category: product.category, units, revenue });
      }
    });
  }
  return rows;
}

/** The rows every worker serves, generated once per process at import time (about 17,500 rows, a few ms). */
export const SALES = Object.freeze(generateSales().map((row) => Object.freeze(row)));
