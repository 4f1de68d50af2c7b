#!/usr/bin/env python3
"""Writes the UCI Wine table (as bundled by scikit-learn) as the CSV files of docs/cli.md.

wine.csv: all 178 rows in the original order (sorted by cultivar), an `id` column first and the
cultivar as 1, 2 or 3 (as in the UCI file); wine-train.csv (133 rows) and wine-test.csv (45 rows): a
stratified split (scikit-learn's train_test_split, random_state 0); wine-new.csv: the first 5 test
rows without the cultivar. Run with the Debian python3 (python3-sklearn): /usr/bin/python3 make.py
"""
import os

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

here = os.path.dirname(os.path.abspath(__file__))
data = load_wine()
names = ['id'] + [n.replace('/', '_') for n in data.feature_names] + ['cultivar']
rows = [[str(i + 1)] + [f'{v:g}' for v in x] + [str(t + 1)] for i, (x, t) in enumerate(zip(data.data, data.target))]


def write(name, rows, columns=names):
    keep = [names.index(c) for c in columns]
    with open(os.path.join(here, name), 'w') as f:
        f.write(','.join(columns) + '\n')
        f.writelines(','.join(r[k] for k in keep) + '\n' for r in rows)


train, test = train_test_split(rows, test_size=45, random_state=0, stratify=[r[-1] for r in rows])
write('wine.csv', rows)
write('wine-train.csv', train)
write('wine-test.csv', test)
write('wine-new.csv', test[:5], names[:-1])
