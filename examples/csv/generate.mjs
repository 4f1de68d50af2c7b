// Writes the two small CSV files the command-line session of docs/cli-reference.md uses (seeded, so always the same):
//   flowers.csv  300 rows: three measurements and a species (three classes), rows in random order
//   houses.csv   400 rows: area, rooms, age, distance and a price that depends on them, plus noise
// Run: node examples/csv/generate.mjs
import { writeFileSync } from 'node:fs';

function rng(seed) {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
const r = rng(2026);
const gaussian = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());

const species = ['setosa', 'versicolor', 'virginica'];
const flowers = ['sepal_length,sepal_width,petal_length,species'];
for (let i = 0; i < 300; i++) {
  const k = Math.floor(r() * 3);
  const f = [5 + 0.8 * k + 0.4 * gaussian(), 3.4 - 0.3 * k + 0.35 * gaussian(), 1.5 + 2 * k + 0.45 * gaussian()];
  flowers.push(`${f.map((v) => v.toFixed(1)).join(',')},${species[k]}`);
}

const houses = ['area_m2,rooms,age_years,distance_km,price_k'];
for (let i = 0; i < 400; i++) {
  const area = 40 + 110 * r(),
    rooms = Math.max(1, Math.round(area / 30 + gaussian() * 0.7)),
    age = Math.floor(60 * r()),
    dist = 0.5 + 25 * r() ** 1.5;
  const price = 30 + 2.6 * area + 8 * rooms - 0.9 * age - 60 * Math.log(dist) + 10 * gaussian();
  houses.push(`${area.toFixed(0)},${rooms},${age},${dist.toFixed(1)},${price.toFixed(1)}`);
}

const here = new URL('.', import.meta.url);
writeFileSync(new URL('flowers.csv', here), `${flowers.join('\n')}\n`);
writeFileSync(new URL('houses.csv', here), `${houses.join('\n')}\n`);
