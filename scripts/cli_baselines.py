#!/usr/bin/env python3
"""The CLI's default options against scikit-learn on sklearn's bundled tables.

For each table (wine, breast cancer, iris: classification; diabetes: regression) and each of
several fixed splits (train_test_split, test_size 0.25, random_state 0..N-1, stratified for
classes), writes train.csv and test.csv to a temporary folder, then scores on the held-out rows:
  - scikit-learn: StandardScaler + MLPClassifier(random_state=0) (its defaults: one hidden layer of
    100 relu units, adam at 0.001, up to 200 epochs), and LinearRegression for the regression;
  - the CLI with default options: `backprop-wasm train train.csv --target target` (it holds out 20%
    of train.csv for early stopping), then `backprop-wasm evaluate model.json test.csv --json`.
Prints one line per table and split and the means. Needs python3-sklearn and a built checkout.
digits (8x8 images of handwritten digits, pixels 0 to 16, one row per image flattened row by row) is
run when named, for the CLI's image networks:

    /usr/bin/python3 scripts/cli_baselines.py [--splits 5] [--tables wine,iris] [-- extra train flags]
    /usr/bin/python3 scripts/cli_baselines.py --tables digits -- --input-shape 8,8,1 --layers conv16x3same,pool2,conv32x3,dense64
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.metrics import accuracy_score, mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'bin', 'backprop-wasm.js')
TABLES = {'wine': load_wine, 'breast_cancer': load_breast_cancer, 'iris': load_iris, 'diabetes': load_diabetes, 'digits': load_digits}
DEFAULT_TABLES = ['wine', 'breast_cancer', 'iris', 'diabetes']


def write_csv(path, names, x, y):
    with open(path, 'w') as f:
        f.write(','.join(names + ['target']) + '\n')
        for row, t in zip(x, y):
            f.write(','.join(repr(float(v)) for v in row) + f',{t}\n')


def cli(*args):
    r = subprocess.run(['node', BIN, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'backprop-wasm {" ".join(args)} failed: {r.stderr}')
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splits', type=int, default=5)
    ap.add_argument('--tables', default=','.join(DEFAULT_TABLES), help='comma-separated: ' + ', '.join(TABLES))
    ap.add_argument('extra', nargs='*', help='extra flags for train (after --)')
    a = ap.parse_args()
    warnings.filterwarnings('ignore', category=ConvergenceWarning)
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.tables.split(','):
            data = TABLES[name]()
            regression = name == 'diabetes'
            ours, theirs = [], []
            for split in range(a.splits):
                xtr, xte, ytr, yte = train_test_split(data.data, data.target, test_size=0.25, random_state=split,
                                                      stratify=None if regression else data.target)
                train, test, model = (os.path.join(tmp, f) for f in ('train.csv', 'test.csv', 'model.json'))
                names = [str(n).replace(' ', '_') for n in data.feature_names]
                write_csv(train, names, xtr, ytr)
                write_csv(test, names, xte, yte)
                if regression:
                    ref = mean_absolute_error(yte, LinearRegression().fit(xtr, ytr).predict(xte))
                else:
                    mlp = make_pipeline(StandardScaler(), MLPClassifier(random_state=0)).fit(xtr, ytr)
                    ref = accuracy_score(yte, mlp.predict(xte))
                cli('train', train, '--target', 'target', '--out', model, '--quiet', *a.extra)
                got = json.loads(cli('evaluate', model, test, '--json'))
                score = got['mae'] if regression else got['accuracy']
                ours.append(score)
                theirs.append(ref)
                what = 'MAE' if regression else 'accuracy'
                print(f'{name:14s} split {split}: {what} backprop-wasm {score:.4f}  scikit-learn {ref:.4f}  ({len(yte)} test rows)')
            print(f'{name:14s} mean: backprop-wasm {np.mean(ours):.4f}  scikit-learn {np.mean(theirs):.4f}'
                  f'  ({"LinearRegression MAE" if regression else "MLPClassifier accuracy"})\n')


if __name__ == '__main__':
    main()
